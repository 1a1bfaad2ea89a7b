import JSONCore

/// Parallel branches and Map iterations as concurrent tasks that take turns (ExecutionTurn).
extension Run {
    enum FanOutEvent<T: Sendable>: Sendable {
        case blocked(Int)
        case finished(Int, T)
    }

    /// Runs `body` for branches `0..<count`, each in a Run of its own, at most `limit` at once
    /// (0: no limit). The next branch starts when the last one started has finished or waits
    /// on something outside the execution, so branches that never wait run in order. After
    /// each finished branch `stop` may end the fan-out: nothing more starts and the branches
    /// still running are cancelled. Returns each branch's result (nil: never started).
    /// `waitsOnOutside`: some branch may wait for a worker or a token; when none can and the
    /// clock is instant, no branch ever gives up the turn, so they simply run here in order.
    func fanOut<T: Sendable>(
        _ count: Int, limit: Int, waitsOnOutside: Bool, stop: (Int, T) -> Bool, _ body: @escaping @Sendable (Run, Int) async -> T
    ) async -> [T?] {
        var results = [T?](repeating: nil, count: count)
        guard count > 0 else { return results }
        if interpreter.clock.isInstant, !waitsOnOutside {
            for index in 0..<count {
                let result = await body(Run(branchOf: self) {}, index)
                results[index] = result
                if stop(index, result) { break }
            }
            return results
        }
        let (events, sink) = AsyncStream<FanOutEvent<T>>.makeStream()
        shared.turn.release()
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            var active = 0
            var lastRunning = false
            var stopped = false
            var iterator = events.makeAsyncIterator()
            while true {
                if !stopped, !lastRunning, next < count, limit == 0 || active < limit {
                    let index = next
                    let branch = Run(branchOf: self) { sink.yield(.blocked(index)) }
                    next += 1
                    active += 1
                    lastRunning = true
                    group.addTask {
                        await branch.shared.turn.acquire()
                        let result = await body(branch, index)
                        branch.shared.turn.release()
                        sink.yield(.finished(index, result))
                    }
                    continue
                }
                if active == 0 { break }
                // Every branch here waits on the outside world: so does this one.
                if !lastRunning { onBlocked?() }
                guard let event = await iterator.next() else { break }
                switch event {
                case .blocked(let index):
                    if index == next - 1 { lastRunning = false }
                case .finished(let index, let result):
                    active -= 1
                    results[index] = result
                    if index == next - 1 { lastRunning = false }
                    if !stopped, stop(index, result) {
                        stopped = true
                        group.cancelAll()
                    }
                }
            }
        }
        sink.finish()
        await shared.turn.acquire()
        return results
    }

    /// Runs `body`, a wait on something outside the execution, without the turn.
    func whileBlocked<T>(_ body: () async throws(StatesError) -> T) async throws(StatesError) -> T {
        shared.turn.release()
        onBlocked?()
        let result: Result<T, StatesError>
        do throws(StatesError) { result = .success(try await body()) } catch { result = .failure(error) }
        await shared.turn.acquire()
        return try result.get()
    }

    /// Runs `body` (a sleep, a task call) without the turn when time is real, so a branch's
    /// wait overlaps its siblings'; on an instant clock nothing really waits, so the turn stays.
    func overlapping<T>(_ body: () async throws(StatesError) -> T) async throws(StatesError) -> T {
        if interpreter.clock.isInstant { return try await body() }
        return try await whileBlocked(body)
    }

    /// `millis` of execution time, overlapping sibling branches' waits when time is real.
    func pause(_ millis: Int64) async {
        guard millis > 0 else { return }
        let clock = interpreter.clock
        _ = try? await overlapping { () async throws(StatesError) in await clock.sleep(milliseconds: millis) }
    }
}
