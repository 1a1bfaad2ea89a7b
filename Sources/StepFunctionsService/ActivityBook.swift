import AWSWire
import Durable
import JSONCore
import ServiceKit
import StatesEngine
import Locking

/// Activities, the tasks queued for their workers, and every open task token: what
/// CreateActivity, GetActivityTask and SendTaskSuccess/Failure/Heartbeat act on, and what a
/// running execution's activity and `.waitForTaskToken` tasks wait on.
final class ActivityBook: TaskCallbacks {
    struct Activity: Sendable {
        var arn: String
        var name: String
        var creationMillis: Int64
    }

    struct QueuedTask: Sendable {
        var token: String
        var input: String
    }

    private struct Poller {
        var id: Int
        var workerName: String?
        var continuation: CheckedContinuation<QueuedTask?, Never>
    }

    private struct OpenToken {
        var deliver: @Sendable (TaskSignal) -> Void
        var activityArn: String?
    }

    private struct State {
        var activities: [String: Activity] = [:]
        var order: [String] = []
        var queues: [String: [QueuedTask]] = [:]
        var pollers: [String: [Poller]] = [:]
        var tokens: [String: OpenToken] = [:]
        /// Spent tokens, so a late answer is told the task is gone rather than that the token
        /// is invalid; the oldest are forgotten past `spentLimit`.
        var spent: Set<String> = []
        var spentOrder: [String] = []
        var nextPollerId = 0
    }

    private let state: Locked<State>
    private static let spentLimit = 100_000
    /// Where activities are kept under `--data-dir` (their queues and tokens live with the
    /// executions that made them); nil keeps them in memory only.
    private let database: StateDatabase?

    init() {
        state = Locked(State())
        database = nil
    }

    /// The book over `database`, with the activities it holds.
    init(database: StateDatabase?) throws(SQLiteDatabase.Failure) {
        self.database = database
        var loaded = State()
        for (arn, document) in try database?.all(.activities) ?? [] {
            guard let o = try? JSONParser.parse(Array(document.utf8)), let name = o["name"]?.stringValue else {
                throw SQLiteDatabase.Failure(description: "the activity \(arn) in \(database?.database.path ?? "") cannot be read")
            }
            loaded.activities[arn] = Activity(arn: arn, name: name, creationMillis: Int64(o["created"]?.intValue ?? 0))
            loaded.order.append(arn)
        }
        state = Locked(loaded)
    }

    // MARK: - Activities

    /// Creates the activity, or returns the one already there (CreateActivity is idempotent).
    func create(arn: String, name: String, at millis: Int64) throws(AWSServiceError) -> Activity {
        try state.withLock { s throws(AWSServiceError) -> Activity in
            if let existing = s.activities[arn] { return existing }
            let activity = Activity(arn: arn, name: name, creationMillis: millis)
            do throws(SQLiteDatabase.Failure) {
                let document: JSONValue = ["name": .string(name), "created": JSONValue(Int(millis))]
                try database?.put(.activities, key: arn, document: document.jsonString)
            } catch {
                throw StatesStore.storageFailure(error)
            }
            s.activities[arn] = activity
            s.order.append(arn)
            return activity
        }
    }

    func activity(_ arn: String) -> Activity? { state.withLock { $0.activities[arn] } }

    func activities(prefix: String) -> [Activity] {
        state.withLock { s in s.order.compactMap { s.activities[$0] }.filter { $0.arn.hasPrefix(prefix) } }
    }

    func delete(_ arn: String) throws(AWSServiceError) {
        let waiting: [Poller] = try state.withLock { s throws(AWSServiceError) -> [Poller] in
            guard s.activities[arn] != nil else { return [] }
            do throws(SQLiteDatabase.Failure) {
                try database?.delete(.activities, key: arn)
            } catch {
                throw StatesStore.storageFailure(error)
            }
            s.activities[arn] = nil
            s.order.removeAll { $0 == arn }
            s.queues[arn] = nil
            return s.pollers.removeValue(forKey: arn) ?? []
        }
        for poller in waiting { poller.continuation.resume(returning: nil) }
    }

    func reset() {
        let waiting: [Poller] = state.withLock { s in
            let pollers = s.pollers.values.flatMap { $0 }
            s = State()
            try? database?.delete(all: .activities)
            return pollers
        }
        for poller in waiting { poller.continuation.resume(returning: nil) }
    }

    // MARK: - Workers

    /// The next task for the activity, waiting up to `waitNanoseconds` of real time (a worker's
    /// long poll); nil when none came.
    func poll(activityArn: String, workerName: String?, waitNanoseconds: UInt64) async -> QueuedTask? {
        let id = state.withLock { s in
            s.nextPollerId += 1
            return s.nextPollerId
        }
        let expiry = Task {
            try? await Task.sleep(nanoseconds: waitNanoseconds)
            self.withdrawPoller(id, activityArn: activityArn)
        }
        defer { expiry.cancel() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<QueuedTask?, Never>) in
            // Take a queued task, or wait in line, in one step: a task queued in between
            // would otherwise sit beside a waiting worker.
            let ready: (QueuedTask, OpenToken?)? = state.withLock { s in
                if var queue = s.queues[activityArn], !queue.isEmpty {
                    let task = queue.removeFirst()
                    s.queues[activityArn] = queue
                    return (task, s.tokens[task.token])
                }
                s.pollers[activityArn, default: []].append(Poller(id: id, workerName: workerName, continuation: continuation))
                return nil
            }
            if let (task, open) = ready {
                open?.deliver(.started(workerName: workerName))
                continuation.resume(returning: task)
            }
        }
    }

    private func withdrawPoller(_ id: Int, activityArn: String) {
        let poller: Poller? = state.withLock { s in
            guard let index = s.pollers[activityArn]?.firstIndex(where: { $0.id == id }) else { return nil }
            return s.pollers[activityArn]?.remove(at: index)
        }
        poller?.continuation.resume(returning: nil)
    }

    // MARK: - TaskCallbacks

    func open(token: String, deliver: @escaping @Sendable (TaskSignal) -> Void) {
        state.withLock { $0.tokens[token] = OpenToken(deliver: deliver, activityArn: nil) }
    }

    func schedule(activityArn: String, token: String, input: String) -> Bool {
        enum Outcome {
            case missing, queued
            case handed(Poller, OpenToken?)
        }
        let outcome: Outcome = state.withLock { s in
            guard s.activities[activityArn] != nil else { return .missing }
            s.tokens[token]?.activityArn = activityArn
            if var waiting = s.pollers[activityArn], !waiting.isEmpty {
                let poller = waiting.removeFirst()
                s.pollers[activityArn] = waiting
                return .handed(poller, s.tokens[token])
            }
            s.queues[activityArn, default: []].append(QueuedTask(token: token, input: input))
            return .queued
        }
        switch outcome {
        case .missing: return false
        case .queued: return true
        case .handed(let poller, let open):
            open?.deliver(.started(workerName: poller.workerName))
            poller.continuation.resume(returning: QueuedTask(token: token, input: input))
            return true
        }
    }

    func finish(token: String, timedOut: Bool) {
        state.withLock { s in
            guard let open = s.tokens.removeValue(forKey: token) else { return }
            if let arn = open.activityArn { s.queues[arn]?.removeAll { $0.token == token } }
            s.spent.insert(token)
            s.spentOrder.append(token)
            if s.spentOrder.count > Self.spentLimit {
                s.spent.remove(s.spentOrder.removeFirst())
            }
        }
    }

    // MARK: - Answers

    enum AnswerRefusal: Error {
        /// Not a token this server could have issued.
        case invalid
        /// Issued, but its task is over (answered, timed out, stopped) or unknown.
        case gone
    }

    /// Hands SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat to the waiting task.
    func answer(token: String, with signal: TaskSignal) throws(AnswerRefusal) {
        let open: OpenToken? = state.withLock { $0.tokens[token] }
        guard let open else {
            throw TaskToken.isWellFormed(token) ? .gone : .invalid
        }
        open.deliver(signal)
    }
}
