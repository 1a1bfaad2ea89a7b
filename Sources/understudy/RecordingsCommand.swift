import ArgumentParser

/// `understudy recordings …`: look at and check cassettes (recorded AWS traffic) without a
/// server, before they are committed or when a replay does not match.
struct RecordingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recordings",
        abstract: "List, show, verify and diff cassettes of recorded AWS traffic.",
        subcommands: [RecordingsList.self, RecordingsShow.self, RecordingsVerify.self, RecordingsDiff.self])
}
