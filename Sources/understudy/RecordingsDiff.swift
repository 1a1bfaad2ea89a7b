import ArgumentParser
import JSONCore
import Recording
import ServiceKit

/// `recordings diff DIR`: how close the emulator is to AWS on the user's own traffic. Every
/// recorded request is replayed against a fresh emulator in process and its answer compared
/// with AWS's in status, error code, headers and JSON shape (member names, types, order),
/// never in values (generated text, ids, dates). Exits 1 when any interaction differs, so it
/// can gate a CI job the way `verify` does.
struct RecordingsDiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Replay every recorded request against the emulator and report where its answers depart from AWS's; exit 1 when any does.")

    @Argument(help: "The cassette directory.")
    var directory: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "The seed of the emulator's random streams.")
    var seed: UInt64 = 0

    @Option(help: "The 12-digit account to replay as (default: the one the cassette's ARNs name most, else 000000000000).")
    var account: String?

    @Option(help: "The region to replay in (default: the one the cassette's ARNs name most, else us-east-1).")
    var region: String?

    func run() async throws {
        let cassette: Cassette
        do { cassette = try Cassette.load(from: directory) } catch { throw CommandFailure.failed(error.description) }
        if let account, !AccountMapping.isAccountID(account) { throw CommandFailure.invalid("--account must be 12 digits") }
        if let region, region.isEmpty { throw CommandFailure.invalid("--region must not be empty") }
        let inferred = RecordedCaller.infer(from: cassette.interactions)
        let caller = RecordedCaller(
            account: account ?? inferred?.account ?? Caller.defaultAccount, region: region ?? inferred?.region ?? Caller.defaultRegion)
        let replay: EmulatorReplay
        do { replay = try EmulatorReplay(seed: seed, caller: caller) } catch { throw CommandFailure.failed("cannot start the emulator: \(error)") }
        let results = await replay.diff(cassette)
        if json { printJSON(results, caller: caller) } else { printText(results, caller: caller) }
        if results.contains(where: { !$0.sameShape }) { throw ExitCode.failure }
    }

    private func printText(_ results: [InteractionDiff], caller: RecordedCaller) {
        let rows = results.map { [String($0.number), $0.service, $0.operation, $0.verdict] }
        var widths = [Int](repeating: 0, count: 4)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        for (row, result) in zip(rows, results) {
            print(row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count) }
                .joined(separator: "  "))
            for difference in result.differences { print("    \(difference)") }
            for note in result.notes { print("    note: \(note)") }
        }
        print(summary(results, caller: caller))
    }

    private func summary(_ results: [InteractionDiff], caller: RecordedCaller) -> String {
        let different = results.filter { !$0.sameShape }
        let count = different.reduce(0) { $0 + $1.differences.count }
        let interactions = results.count == 1 ? "1 interaction" : "\(results.count) interactions"
        let tail = different.isEmpty ? "all the same shape" : "\(results.count - different.count) the same shape, \(different.count) with \(count) difference\(count == 1 ? "" : "s")"
        return "\(directory): \(interactions) replayed as \(caller.account) in \(caller.region): \(tail)"
    }

    private func printJSON(_ results: [InteractionDiff], caller: RecordedCaller) {
        let different = results.filter { !$0.sameShape }
        var summary = JSONObject()
        summary["interactions"] = JSONValue(results.count)
        summary["sameShape"] = JSONValue(results.count - different.count)
        summary["different"] = JSONValue(different.count)
        summary["differences"] = JSONValue(different.reduce(0) { $0 + $1.differences.count })
        var object = JSONObject()
        object["directory"] = .string(directory)
        object["account"] = .string(caller.account)
        object["region"] = .string(caller.region)
        object["interactions"] = .array(results.map(\.jsonValue))
        object["summary"] = .object(summary)
        print(JSONValue.object(object).prettyPrinted(indent: 2))
    }
}
