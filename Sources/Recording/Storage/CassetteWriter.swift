import Locking

/// Appends interactions to a cassette directory as they complete, from any thread: each is
/// redacted, written to its own file, then the index is rewritten (temporary file and rename),
/// so the directory is a whole cassette after every call. Appending to a directory that holds
/// one continues it (`--on-miss record`).
public final class CassetteWriter: Sendable {
    public let directory: String
    public let redactor: Redactor
    private let index: Locked<CassetteIndex>

    public init(directory: String, redactor: Redactor) throws(CassetteFormatError) {
        self.directory = directory
        self.redactor = redactor
        try CassetteFile.createDirectory(directory)
        let indexPath = directory + "/" + CassetteIndex.fileName
        let existing = CassetteFile.exists(indexPath) ? try CassetteIndex(fileBytes: CassetteFile.read(indexPath)) : CassetteIndex()
        index = Locked(existing)
        if !CassetteFile.exists(indexPath) { try CassetteFile.writeAtomically(existing.fileBytes, to: indexPath) }
    }

    /// What was written: the index entry and the interaction as it is on disk.
    public struct Appended: Sendable {
        public var entry: CassetteIndex.Entry
        public var interaction: RecordedInteraction
        /// The redactor's notes (a pattern that ran out of steps), for the log.
        public var notes: [String]
    }

    /// Redacts `interaction` and appends it; it is on disk, index included, when this returns.
    @discardableResult
    public func append(_ interaction: RecordedInteraction) throws(CassetteFormatError) -> Appended {
        let redacted = redactor.redact(interaction)
        let bytes = redacted.interaction.fileBytes
        let directory = self.directory
        // One writer at a time: numbering, the file and the index must agree.
        return try index.withLock { index throws(CassetteFormatError) -> Appended in
            var number = index.entries.count + 1
            var name = CassetteIndex.interactionFileName(number: number, service: interaction.service, operation: interaction.operation)
            while CassetteFile.exists(directory + "/" + name) {
                number += 1
                name = CassetteIndex.interactionFileName(number: number, service: interaction.service, operation: interaction.operation)
            }
            try CassetteFile.writeAtomically(bytes, to: directory + "/" + name)
            let entry = CassetteIndex.Entry(
                file: name, service: redacted.interaction.service, operation: redacted.interaction.operation,
                resource: redacted.interaction.resource)
            var updated = index
            updated.entries.append(entry)
            try CassetteFile.writeAtomically(updated.fileBytes, to: directory + "/" + CassetteIndex.fileName)
            index = updated
            return Appended(entry: entry, interaction: redacted.interaction, notes: redacted.notes)
        }
    }

    /// The entries written so far, in order.
    public var entries: [CassetteIndex.Entry] { index.withLock { $0.entries } }
}
