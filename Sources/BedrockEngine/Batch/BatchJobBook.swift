import Determinism
import JSONCore
public import ObjectStore
import Locking

/// Every batch inference job, by (account, region). Jobs move through their lifecycle when
/// observed (Get, List, Stop, and the Step Functions `.sync` poll), each phase taking the time
/// `BatchTimings` gives it on the server's clock, so tests can run them instantly or advance
/// the clock through them.
public final class BatchJobBook: Sendable {
    private struct State: Sendable {
        var jobs: [String: ModelInvocationJob] = [:]
        var order: [String] = []
        var random: SeededRandom
        /// One advance at a time per job; later callers share its result rather than
        /// validating or writing the same job twice.
        var advancing: [String: Task<ModelInvocationJob?, Never>] = [:]
    }

    private let state: Locked<State>
    private let processor: BatchProcessor
    private let timingsBox: Locked<BatchTimings>
    private let now: @Sendable () -> Int64

    public convenience init(
        store: ObjectStore, runtime: BedrockRuntime, seed: UInt64, timings: BatchTimings = BatchTimings(), now: @escaping @Sendable () -> Int64
    ) {
        self.init(storage: EmbeddedBatchStorage(store: store), runtime: runtime, seed: seed, timings: timings, now: now)
    }

    public init(
        storage: any BatchStorage, runtime: BedrockRuntime, seed: UInt64, timings: BatchTimings = BatchTimings(), now: @escaping @Sendable () -> Int64
    ) {
        processor = BatchProcessor(storage: storage, runtime: runtime, seed: seed)
        state = Locked(State(random: SeededRandom(seed: seed, label: "batch-job-ids")))
        timingsBox = Locked(timings)
        self.now = now
    }

    public var timings: BatchTimings {
        get { timingsBox.withLock { $0 } }
        set { timingsBox.withLock { $0 = newValue } }
    }

    /// Creates a job, or returns the one created earlier with the same client token.
    public func create(_ request: ModelInvocationJob.Request, account: String, region: String) -> ModelInvocationJob {
        let time = now()
        return state.withLock { state in
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

    public enum StopOutcome: Sendable {
        case stopping(ModelInvocationJob)
        case notFound
        case notStoppable(ModelInvocationJob)
    }

    public func stop(_ identifier: String, account: String, region: String) async -> StopOutcome {
        guard var job = await self.job(identifier, account: account, region: region) else { return .notFound }
        guard !job.status.isTerminal, job.status != .stopping else { return .notStoppable(job) }
        let time = now()
        if job.status == .inProgress { job.processedRecords = job.processed(at: time, timings: timings) }
        job.enter(.stopping, at: time)
        let stopped = job
        state.withLock { $0.jobs[stopped.jobId] = stopped }
        return .stopping(await advance(stopped.jobId) ?? stopped)
    }

    public func reset() {
        state.withLock { state in
            state.jobs = [:]
            state.order = []
        }
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
        if job.status == .inProgress { job.processedRecords = job.processed(at: time, timings: timings) }
        let updated = job
        state.withLock { state in
            state.advancing[id] = nil
            // A reset during the advance forgot the job; a concurrent stop wins over an advance
            // computed from the older state.
            guard let current = state.jobs[id] else { return }
            if current.status == .stopping, updated.status != .stopping, updated.status != .stopped { return }
            state.jobs[id] = updated
        }
        return updated
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
    }
}
