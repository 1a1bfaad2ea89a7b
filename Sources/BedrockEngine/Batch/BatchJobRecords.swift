/// Where a `BatchJobBook` keeps its jobs so they outlive the process: under `--data-dir`, a
/// table of the state database. The composition root implements it, so the engine knows no
/// SQLite and does not depend on `Durable`.
public protocol BatchJobRecords: Sendable {
    /// Every job's document (`ModelInvocationJob.record`), in the order each was first written.
    func all() throws(BatchJobRecordFailure) -> [String]
    /// Writes a job's document under its id; on the disk when this returns.
    func put(id: String, document: String) throws(BatchJobRecordFailure)
    /// Forgets every job (the admin reset).
    func removeAll() throws(BatchJobRecordFailure)
}

/// A job the records could not write or read back, with the reason in words.
public struct BatchJobRecordFailure: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
