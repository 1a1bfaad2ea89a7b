import Locking

/// What a test gets when its body outlives its deadline.
struct TestDeadlineExceeded: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "the test did not finish within \(seconds) s" }
}

/// Runs `body` and gives up on it after `seconds`: the test fails with `TestDeadlineExceeded`
/// instead of hanging, even when a broken client never completes what `body` awaits (the
/// abandoned task is cancelled and left to end on its own).
func withTestDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let waiting = Locked<CheckedContinuation<T, any Error>?>(nil)
    let take: @Sendable () -> CheckedContinuation<T, any Error>? = { waiting.withLock { continuation in
        let taken = continuation
        continuation = nil
        return taken
    } }
    return try await withCheckedThrowingContinuation { continuation in
        waiting.withLock { $0 = continuation }
        let work = Task {
            do {
                let value = try await body()
                take()?.resume(returning: value)
            } catch {
                take()?.resume(throwing: error)
            }
        }
        Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            if let late = take() {
                work.cancel()
                late.resume(throwing: TestDeadlineExceeded(seconds: seconds))
            }
        }
    }
}
