/// Runs a Parallel's branches or a Map's iterations as concurrent tasks that take turns
/// (`ExecutionTurn`), each in a Run of its own, as `FanOutScheduler` decides.
struct FanOut {
    let parent: Run
    let count: Int
    /// MaxConcurrency; 0: no limit.
    let limit: Int
    /// Some branch may wait for a worker or a token. When none can and the clock is instant,
    /// no branch ever gives up the turn, so they simply run here in order.
    let waitsOnOutside: Bool

    private enum Event<T: Sendable>: Sendable {
        case blocked(Int)
        case finished(Int, T)
    }

    /// Each branch's result (nil: never started). After each finished branch `stop` (called
    /// on this task, in the order branches finish) may end the fan-out.
    ///
    /// A stopped execution (StopExecution, reset) or one past its deadline starts no more
    /// branches and throws `States.Aborted` or `States.Timeout`: a Map that tolerates every
    /// failure would otherwise start each of its remaining iterations only to see it fail,
    /// and end as if it had succeeded.
    func run<T: Sendable>(stop: (Int, T) -> Bool, _ body: @escaping @Sendable (Run, Int) async -> T) async throws(StatesError) -> [T?] {
        var results = [T?](repeating: nil, count: count)
        guard count > 0 else { return results }
        let seed = parent.nextRandom()
        if parent.clock.isInstant, !waitsOnOutside {
            for index in 0..<count {
                try checkGoingOn()
                // One-state iterations never reach MachineRunner's yield: let other
                // executions and requests run between them.
                if index > 0, index % MachineRunner.statesBetweenYields == 0 { await Task.yield() }
                let result = await body(Run(branchOf: parent, index: index, seed: seed) {}, index)
                results[index] = result
                if stop(index, result) { break }
            }
            try checkGoingOn()
            return results
        }
        let (events, sink) = AsyncStream<Event<T>>.makeStream()
        let parent = self.parent
        var scheduler = FanOutScheduler(count: count, limit: limit)
        parent.shared.turn.release()
        await withTaskGroup(of: Void.self) { group in
            var iterator = events.makeAsyncIterator()
            loop: while true {
                if !scheduler.stopped, Task.isCancelled || parent.isPastDeadline { scheduler.stop() }
                switch scheduler.next() {
                case .start(let index):
                    let branch = Run(branchOf: parent, index: index, seed: seed) { sink.yield(.blocked(index)) }
                    group.addTask {
                        await branch.shared.turn.acquire()
                        let result = await body(branch, index)
                        branch.shared.turn.release()
                        sink.yield(.finished(index, result))
                    }
                case .finished:
                    break loop
                case .wait(let allBlocked):
                    // Every branch here waits on the outside world: so does this one.
                    if allBlocked { parent.onBlocked?() }
                    guard let event = await iterator.next() else { break loop }
                    switch event {
                    case .blocked(let index):
                        scheduler.blocked(index)
                    case .finished(let index, let result):
                        results[index] = result
                        let stops = !scheduler.stopped && stop(index, result)
                        if scheduler.finished(index, stop: stops) { group.cancelAll() }
                    }
                }
            }
        }
        sink.finish()
        await parent.shared.turn.acquire()
        try checkGoingOn()
        return results
    }

    /// Throws when the execution was stopped or has passed its deadline.
    private func checkGoingOn() throws(StatesError) {
        if Task.isCancelled { throw StatesError(.aborted, nil) }
        try parent.checkDeadline()
    }
}
