import Determinism
import JSONCore
public import ObjectStore
import Locking

/// Every batch inference job, by (account, region). Jobs move through their lifecycle when
/// observed (Get, List, Stop, and the Step Functions `.sync` poll), each phase taking the time
/// `BatchTimings` gives it on the server's clock, so tests can run them instantly or advance
/// the clock through them.
///
/// With `records` (under `--data-dir`) every job is written through when it is created and at
/// each change of status or progress, and read back at start-up: a job still under way carries
/// on from where its record stands, its results computed again from the input (they are
/// deterministic) and written whole when it ends, so nothing is written twice.
public final class BatchJobBook: Sendable {
    private struct State: Sendable {
        var jobs: [String: ModelInvocationJob] = [:]
        var order: [String] = []
        var random: SeededRandom
        /// One advance at a time per job; later callers share its result rather than
        /// validating or writing the same job twice.
        var advancing: [String: Task<ModelInvocationJob?, Never>] = [:]
        /// Each job's document as last written to `records`, so only a change is written.
        var written: [String: String] = [:]
    }

    private let state: Locked<State>
    private let processor: BatchProcessor
    private let timingsBox: Locked<BatchTimings>
    private let records: (any BatchJobRecords)?
    /// Told how many records each job processed when it ends; nil with metrics off.
    private let usage: (any BedrockUsageObserver)?
    private let now: @Sendable () -> Int64

    public convenience init(
        store: ObjectStore, runtime: BedrockRuntime, seed: UInt64, timings: BatchTimings = BatchTimings(),
        records: (any BatchJobRecords)? = nil, now: @escaping @Sendable () -> Int64
    ) throws(BatchJobRecordFailure) {
        try self.init(storage: EmbeddedBatchStorage(store: store), runtime: runtime, seed: seed, timings: timings, records: records, now: now)
    }

    /// The book over `storage`, with the jobs `records` holds.
    public init(
        storage: any BatchStorage, runtime: BedrockRuntime, seed: UInt64, timings: BatchTimings = BatchTimings(),
        records: (any BatchJobRecords)? = nil, usage: (any BedrockUsageObserver)? = nil, now: @escaping @Sendable () -> Int64
    ) throws(BatchJobRecordFailure) {
        self.usage = usage
        processor = BatchProcessor(storage: storage, runtime: runtime, seed: seed)
        var initial = State(random: SeededRandom(seed: seed, label: "batch-job-ids"))
        for document in try records?.all() ?? [] {
            guard let parsed = try? JSONParser.parse(Array(document.utf8)), let job = ModelInvocationJob(record: parsed) else {
                throw BatchJobRecordFailure("a batch job record cannot be read: \(document.prefix(200))")
            }
            if initial.jobs[job.jobId] == nil { initial.order.append(job.jobId) }
            initial.jobs[job.jobId] = job
            initial.written[job.jobId] = document
        }
        state = Locked(initial)
        timingsBox = Locked(timings)
        self.records = records
        self.now = now
    }

    public var timings: BatchTimings {
        get { timingsBox.withLock { $0 } }
        set { timingsBox.withLock { $0 = newValue } }
    }

    /// Creates a job, or returns the one created earlier with the same client token. Under
    /// `--data-dir` the job is on the disk before this returns; when it cannot be written it is
    /// not created.
    public func create(_ request: ModelInvocationJob.Request, account: String, region: String) throws(BatchJobRecordFailure) -> ModelInvocationJob {
        let time = now()
        return try state.withLock { state throws(BatchJobRecordFailure) in
            if let token = request.clientRequestToken,
                let existing = state.jobs.values.first(where: {
                    $0.account == account && $0.region == region && $0.request.clientRequestToken == token
                })
            {
                return existing
            }
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
            var id = ""
            repeat {
                id = String((0..<12).map { _ in alphabet[state.random.next(below: alphabet.count)] })
            } while state.jobs[id] != nil
            let job = ModelInvocationJob(
                jobId: id, jobArn: "arn:aws:bedrock:\(region):\(account):model-invocation-job/\(id)", account: account, region: region,
                request: request, submitMillis: time, lastModifiedMillis: time, statusSince: time)
            try write(job, in: &state)
            state.jobs[id] = job
            state.order.append(id)
            return job
        }
    }

    /// The job an id or ARN names, for this caller, brought up to date.
    public func job(_ identifier: String, account: String, region: String) async -> ModelInvocationJob? {
        let id = identifier.split(separator: "/").last.map(String.init) ?? identifier
        guard let job = state.withLock({ $0.jobs[id] }), job.account == account, job.region == region else { return nil }
        return await advance(id)
    }

    /// This caller's jobs, each brought up to date, oldest first.
    public func jobs(account: String, region: String) async -> [ModelInvocationJob] {
        let ids = state.withLock { state in state.order.filter { state.jobs[$0]?.account == account && state.jobs[$0]?.region == region } }
        var found: [ModelInvocationJob] = []
        for id in ids {
            if let job = await advance(id) { found.append(job) }
        }
        return found
    }

    /// Every caller's jobs, each brought up to date, oldest first: the local console's view.
    public func allJobs() async -> [ModelInvocationJob] {
        let ids = state.withLock { $0.order }
        var found: [ModelInvocationJob] = []
        for id in ids {
            if let job = await advance(id) { found.append(job) }
        }
        return found
    }

    public enum StopOutcome: Sendable {
        case stopping(ModelInvocationJob)
        case notFound
        case notStoppable(ModelInvocationJob)
    }

    public func stop(_ identifier: String, account: String, region: String) async -> StopOutcome {
        guard var job = await self.job(identifier, account: account, region: region) else { return .notFound }
        guard !job.status.isTerminal, job.status != .stopping else { return .notStoppable(job) }
        let time = now()
        if job.status == .inProgress { job.processedRecords = max(job.processedRecords ?? 0, job.processed(at: time, timings: timings)) }
        job.enter(.stopping, at: time)
        let stopped = job
        state.withLock { state in keep(stopped, in: &state) }
        return .stopping(await advance(stopped.jobId) ?? stopped)
    }

    public func reset() {
        state.withLock { state in
            state.jobs = [:]
            state.order = []
            state.written = [:]
            try? records?.removeAll()
        }
    }

    /// Writes the job's record when it changed; under the lock, so the records see the
    /// changes in the order the book makes them.
    private func write(_ job: ModelInvocationJob, in state: inout State) throws(BatchJobRecordFailure) {
        guard let records else { return }
        let document = job.record.jsonString
        guard state.written[job.jobId] != document else { return }
        try records.put(id: job.jobId, document: document)
        state.written[job.jobId] = document
    }

    /// Stores a job's new state. A record that cannot be written now is written at the job's
    /// next change (it differs from the last one written); the job moves on meanwhile, as a
    /// job observed is never refused.
    private func keep(_ job: ModelInvocationJob, in state: inout State) {
        state.jobs[job.jobId] = job
        try? write(job, in: &state)
    }

    /// Brings a job up to date, joining the advance already under way for it if there is one.
    @discardableResult
    func advance(_ id: String) async -> ModelInvocationJob? {
        let advancing = state.withLock { state in
            if let running = state.advancing[id] { return running }
            let started = Task { await self.applyDueTransitions(id) }
            state.advancing[id] = started
            return started
        }
        return await advancing.value
    }

    /// Applies every transition that is due. Validation, processing and writing run outside
    /// the lock; only the job's new state is stored under it.
    private func applyDueTransitions(_ id: String) async -> ModelInvocationJob? {
        guard var job = state.withLock({ $0.jobs[id] }) else {
            state.withLock { $0.advancing[id] = nil }
            return nil
        }
        let timings = self.timings
        let time = now()
        if job.needsResults { await recompute(&job, at: time, timings: timings) }
        while let transition = job.transition(at: time, timings: timings) {
            switch transition {
            case .enter(let status, let at):
                job.enter(status, at: at)
                if status == .inProgress { job.processedRecords = 0 }
            case .validate(let at):
                do {
                    let files = try await processor.validate(job, timings: timings)
                    job.results = processor.process(job, files: files)
                    job.totalRecords = job.results?.total
                    job.enter(.scheduled, at: at)
                } catch {
                    job.enter(.failed, at: at, message: error.message)
                }
            case .finish(let status, let processed, let at):
                await finish(&job, processed: processed, status: status, at: at)
            }
        }
        // Never backwards: after a restart the clock's offset (`POST /_understudy/clock`)
        // starts again from nothing, and the job's progress stays where its record left it.
        if job.status == .inProgress { job.processedRecords = max(job.processedRecords ?? 0, job.processed(at: time, timings: timings)) }
        let updated = job
        state.withLock { state in
            state.advancing[id] = nil
            // A reset during the advance forgot the job; a concurrent stop wins over an advance
            // computed from the older state.
            guard let current = state.jobs[id] else { return }
            if current.status == .stopping, updated.status != .stopping, updated.status != .stopped { return }
            keep(updated, in: &state)
        }
        return updated
    }

    /// The results a job read back at start-up lost: the same input gives the same ones. An
    /// input that can no longer be read fails the job, as it would have at validation.
    private func recompute(_ job: inout ModelInvocationJob, at time: Int64, timings: BatchTimings) async {
        do {
            let files = try await processor.validate(job, timings: timings)
            job.results = processor.process(job, files: files)
        } catch {
            job.results = nil
            job.enter(.failed, at: time, message: error.message)
        }
    }

    /// Writes what was processed (nothing for a job stopped before it ran) and ends the job.
    private func finish(_ job: inout ModelInvocationJob, processed: Int, status: ModelInvocationJob.Status, at time: Int64) async {
        guard let results = job.results else {
            job.enter(status, at: time)
            return
        }
        let success: Int, errors: Int
        do {
            (success, errors) = try await processor.write(results, job: job, processed: processed)
        } catch {
            job.results = nil
            job.enter(.failed, at: time, message: error.message)
            return
        }
        job.processedRecords = processed
        job.successRecords = success
        job.errorRecords = errors
        job.results = nil
        job.enter(status, at: time)
        usage?.batchRecordsProcessed(model: job.request.modelId, succeeded: success, failed: errors)
    }
}
