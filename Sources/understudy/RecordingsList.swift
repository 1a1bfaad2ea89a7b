import ArgumentParser
import Recording

/// `recordings list DIR`: one line per interaction, in call order.
struct RecordingsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One line per interaction: number, service, operation, resource, status, frames (- when not a stream).")

    @Argument(help: "The cassette directory (the one holding index.json).")
    var directory: String

    func run() throws {
        let index: CassetteIndex
        do { index = try Cassette.indexOnly(in: directory) } catch { throw CommandFailure.failed(error.description) }
        var rows: [[String]] = []
        var broken: [String] = []
        for (i, entry) in index.entries.enumerated() {
            do {
                let interaction = try Cassette.readInteraction(entry.file, in: directory)
                let frames = interaction.response.frames.map { String($0.count) } ?? "-"
                rows.append([
                    String(i + 1), interaction.service, interaction.operation, interaction.resource ?? "-",
                    String(interaction.response.status), frames,
                ])
            } catch {
                rows.append([String(i + 1), entry.service, entry.operation, entry.resource ?? "-", "?", "?"])
                broken.append(error.description)
            }
        }
        var widths = [Int](repeating: 0, count: 6)
        for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
        for row in rows {
            let cells = row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell.padding(to: widths[c]) }
            print(cells.joined(separator: "  "))
        }
        if !broken.isEmpty { throw CommandFailure.failed(broken.joined(separator: "\n")) }
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
