import Locking

/// Whose turn it is to run interpreter code in one execution. Parallel branches and Map
/// iterations run as tasks of their own, but only the holder of the turn steps through
/// states; a branch gives the turn up only while it waits on something outside the
/// execution (a task token, an activity worker, real time). So branches that never wait run
/// one after another in order, and an execution replays the same history every time, while
/// a branch waiting for its token no longer holds back its siblings.
final class ExecutionTurn: Sendable {
    private let state = Locked<(held: Bool, waiters: [CheckedContinuation<Void, Never>])>((true, []))

    /// Waits for the turn, first come first served.
    func acquire() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let free = state.withLock { s -> Bool in
                if !s.held {
                    s.held = true
                    return true
                }
                s.waiters.append(waiter)
                return false
            }
            if free { waiter.resume() }
        }
    }

    /// Hands the turn to the longest waiter, or leaves it free.
    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.waiters.isEmpty else {
                s.held = false
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
