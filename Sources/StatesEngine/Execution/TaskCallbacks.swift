import JSONCore

/// What reaches a task that waits on someone else (an activity worker, or whoever holds a
/// `.waitForTaskToken` token) through its task token.
public enum TaskSignal: Sendable, Equatable {
    /// A worker took the activity task (GetActivityTask).
    case started(workerName: String?)
    case heartbeat
    /// SendTaskSuccess, with its output as sent (JSON text).
    case succeeded(output: String)
    /// SendTaskFailure.
    case failed(error: String?, cause: String?)
}

/// Where task tokens are issued and answered, and activity tasks are queued for workers. The
/// server's implementation backs the SendTask* and activity APIs; without one (the CLI),
/// callback tasks fail as tasks nobody can answer.
public protocol TaskCallbacks: Sendable {
    /// Registers a token; its signals go to `deliver` until `finish`.
    func open(token: String, deliver: @escaping @Sendable (TaskSignal) -> Void)
    /// Queues an activity task for the activity's workers; false when the activity does not
    /// exist.
    func schedule(activityArn: String, token: String, input: String) -> Bool
    /// The token is spent (answered, timed out, or its execution stopped): later SendTask*
    /// calls with it are refused, and a queued activity task is withdrawn.
    func finish(token: String, timedOut: Bool)
}

/// The form of the task tokens executions hand out: `AQC` and base64 of random bytes, opaque
/// and long like AWS's.
public enum TaskToken {
    static let prefix = "AQC"

    static func make(_ bytes: [UInt8]) -> String { prefix + Base64.encode(bytes) }

    /// Whether `token` could be one of ours (a spent one is told apart from garbage).
    public static func isWellFormed(_ token: String) -> Bool {
        token.hasPrefix(prefix) && token.utf8.count > 16 && Base64.decode(String(token.dropFirst(prefix.count))) != nil
    }
}
