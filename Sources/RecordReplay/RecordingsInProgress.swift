import Locking

/// Calls whose answer is passing through the recorder and whose interaction is not on disk
/// yet. A client may leave before its answer ends (boto3 reads the headers of an InvokeModel
/// and may never read its body), and then its connection no longer holds the server's
/// shutdown open; the cassette write still runs, and shutdown waits for it here.
public final class RecordingsInProgress: Sendable {
    private let count = Locked(0)

    public init() {}

    public var pending: Int { count.withLock { $0 } }

    func begin() { count.withLock { $0 += 1 } }

    func end() { count.withLock { $0 -= 1 } }

    /// Returns when every call begun has been written (or given up on, if its answer broke
    /// off), or after `limit`.
    public func waitUntilWritten(limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while pending > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
