import BedrockEngine
import Durable

/// Batch jobs' records in the state database's `batch_jobs` table: the engine sees only
/// `BatchJobRecords`, so BedrockEngine need not depend on Durable.
struct DatabaseBatchJobRecords: BatchJobRecords {
    let database: StateDatabase

    func all() throws(BatchJobRecordFailure) -> [String] {
        do { return try database.all(.batchJobs).map(\.document) } catch { throw BatchJobRecordFailure(error.description) }
    }

    func put(id: String, document: String) throws(BatchJobRecordFailure) {
        do { try database.put(.batchJobs, key: id, document: document) } catch { throw BatchJobRecordFailure(error.description) }
    }

    func removeAll() throws(BatchJobRecordFailure) {
        do { try database.delete(all: .batchJobs) } catch { throw BatchJobRecordFailure(error.description) }
    }
}
