import ArgumentParser
import JSONCore
import Recording

/// `recordings show DIR N`: the interaction as its file holds it, JSON bodies and stream frames
/// decoded (a Bedrock chunk's `bytes` shown as the model's event).
struct RecordingsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print interaction N (from 1, as list numbers them) with its stream frames decoded.")

    @Argument(help: "The cassette directory.")
    var directory: String

    @Argument(help: "The interaction's number, as `recordings list` shows it.")
    var number: Int

    func run() throws {
        let index: CassetteIndex
        do { index = try Cassette.indexOnly(in: directory) } catch { throw CommandFailure.failed(error.description) }
        guard index.entries.indices.contains(number - 1) else {
            throw CommandFailure.invalid("\(directory) has no interaction \(number) (it has \(index.entries.count), numbered from 1)")
        }
        let entry = index.entries[number - 1]
        let interaction: RecordedInteraction
        do { interaction = try Cassette.readInteraction(entry.file, in: directory) } catch {
            throw CommandFailure.failed(error.description)
        }
        print("# \(number): \(entry.file)")
        print(interaction.fileValue.prettyPrinted(indent: 2))
    }
}
