/// When a Parallel's branches or a Map's iterations start and when the fan-out is over, as a
/// value that takes events and answers actions, so the rules live in one place and only its
/// owner (the task running the fan-out) changes it.
///
/// The next branch starts when the one started last has finished or waits on something
/// outside the execution, so branches that never wait run one after another, in order, and
/// an execution replays the same history; at most `limit` run at once (0: no limit). After a
/// branch finishes the owner may stop the fan-out: nothing more starts, and the branches
/// still running are cancelled.
struct FanOutScheduler {
    enum Action: Equatable {
        /// Start branch `index`.
        case start(Int)
        /// Wait for the next event. `allBlocked`: every running branch waits on the outside
        /// world, so the fan-out as a whole does too.
        case wait(allBlocked: Bool)
        /// Every branch started has finished.
        case finished
    }

    let count: Int
    let limit: Int
    private(set) var started = 0
    private(set) var running = 0
    /// The branch started last is running and has not said it waits on the outside.
    private var lastRunning = false
    private(set) var stopped = false

    init(count: Int, limit: Int) {
        self.count = count
        self.limit = limit
    }

    /// What to do now.
    mutating func next() -> Action {
        if !stopped, !lastRunning, started < count, limit == 0 || running < limit {
            lastRunning = true
            started += 1
            running += 1
            return .start(started - 1)
        }
        if running == 0 { return .finished }
        return .wait(allBlocked: !lastRunning)
    }

    /// Starts no more branches (the execution was stopped or is past its deadline); the
    /// ones running finish as they will.
    mutating func stop() { stopped = true }

    /// Branch `index` waits on something outside the execution.
    mutating func blocked(_ index: Int) {
        if index == started - 1 { lastRunning = false }
    }

    /// Branch `index` finished; `stop` (asked only while the fan-out is not stopped) ends the
    /// fan-out. Returns whether the branches still running are to be cancelled.
    mutating func finished(_ index: Int, stop: Bool) -> Bool {
        running -= 1
        if index == started - 1 { lastRunning = false }
        guard !stopped, stop else { return false }
        stopped = true
        return true
    }
}
