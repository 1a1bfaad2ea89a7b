/// A redacted interaction and what the redactor has to say about the rules (a pattern that ran
/// out of steps), for the server's log.
public struct RedactionResult: Sendable {
    public var interaction: RecordedInteraction
    public var notes: [String]

    public init(interaction: RecordedInteraction, notes: [String] = []) {
        self.interaction = interaction
        self.notes = notes
    }
}
