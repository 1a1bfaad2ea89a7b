import Determinism
import JSONCore
import ObjectStore
import Synchronization

/// Every batch inference job, by (account, region). Jobs move through their lifecycle when
/// observed (Get, List, Stop, and the Step Functions `.sync` poll), each phase taking the time
/// `BatchTimings` gives it on the server's clock, so tests can run them instantly or advance
/// the clock through them.
public final class BatchJobBook: Sendable {
    private struct State: Sendable {
        var jobs: [String: ModelInvocationJob] = [:]
        var order: [String] = []
        var random: SeededRandom
    }

    private let state: Mutex<State>
    private let processor: BatchProcessor
    private let timingsBox: Mutex<BatchTimings>
    private let now: @Sendable () -> Int64

    public init(store: ObjectStore, runtime: BedrockRuntime, seed: UInt64, timings: BatchTimings = BatchTimings(), now: @escaping @Sendable () -> Int64) {
        processor = BatchProcessor(store: store, runtime: runtime, seed: seed)
        state = Mutex(State(random: SeededRandom(seed: seed, label: "batch-job-ids")))
        timingsBox = Mutex(timings)
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
    public func job(_ identifier: String, account: String, region: String) -> ModelInvocationJob? {
        let id = identifier.split(separator: "/").last.map(String.init) ?? identifier
        guard let job = state.withLock({ $0.jobs[id] }), job.account == account, job.region == region else { return nil }
        return advance(id)
    }

    /// This caller's jobs, each brought up to date, oldest first.
    public func jobs(account: String, region: String) -> [ModelInvocationJob] {
        let ids = state.withLock { state in state.order.filter { state.jobs[$0]?.account == account && state.jobs[$0]?.region == region } }
        return ids.compactMap { advance($0) }
    }

    public enum StopOutcome: Sendable {
        case stopping(ModelInvocationJob)
        case notFound
        case notStoppable(ModelInvocationJob)
    }

    public func stop(_ identifier: String, account: String, region: String) -> StopOutcome {
        guard var job = self.job(identifier, account: account, region: region) else { return .notFound }
        guard !job.status.isTerminal, job.status != .stopping else { return .notStoppable(job) }
        let time = now()
        if job.status == .inProgress { job.processedRecords = job.processed(at: time, timings: timings) }
        job.enter(.stopping, at: time)
        let stopped = job
        state.withLock { $0.jobs[stopped.jobId] = stopped }
        return .stopping(advance(stopped.jobId) ?? stopped)
    }

    public func reset() {
        state.withLock { state in
            state.jobs = [:]
            state.order = []
        }
    }

    /// Applies every transition that is due. Validation, processing and writing run outside
    /// the lock; only the job's new state is stored under it.
    @discardableResult
    func advance(_ id: String) -> ModelInvocationJob? {
        guard var job = state.withLock({ $0.jobs[id] }) else { return nil }
        let timings = self.timings
        let time = now()
        while let transition = job.transition(at: time, timings: timings) {
            switch transition {
            case .enter(let status, let at):
                job.enter(status, at: at)
                if status == .inProgress { job.processedRecords = 0 }
            case .validate(let at):
                do {
                    let files = try processor.validate(job, minimumRecords: timings.minimumRecords)
                    job.results = processor.process(job, files: files)
                    job.totalRecords = job.results?.total
                    job.enter(.scheduled, at: at)
                } catch {
                    job.enter(.failed, at: at, message: error.message)
                }
            case .finish(let status, let processed, let at):
                finish(&job, processed: processed, status: status, at: at)
            }
        }
        if job.status == .inProgress { job.processedRecords = job.processed(at: time, timings: timings) }
        let updated = job
        state.withLock { state in
            // A concurrent stop wins over an advance computed from the older state.
            if let current = state.jobs[id], current.status == .stopping, updated.status != .stopping, updated.status != .stopped { return }
            state.jobs[id] = updated
        }
        return updated
    }

    /// Writes what was processed (nothing for a job stopped before it ran) and ends the job.
    private func finish(_ job: inout ModelInvocationJob, processed: Int, status: ModelInvocationJob.Status, at time: Int64) {
        guard let results = job.results else {
            job.enter(status, at: time)
            return
        }
        let (success, errors) = processor.write(results, job: job, processed: processed)
        job.processedRecords = processed
        job.successRecords = success
        job.errorRecords = errors
        job.results = nil
        job.enter(status, at: time)
    }
}
