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
    func open(token: String, executionArn: String, deliver: @escaping @Sendable (TaskSignal) -> Void)
    /// Queues an activity task for the activity's workers; false when the activity does not
    /// exist.
    func schedule(activityArn: String, token: String, input: String) -> Bool
    /// The token is spent (answered, timed out, or its execution stopped): later SendTask*
    /// calls with it are refused, and a queued activity task is withdrawn.
    func finish(token: String, timedOut: Bool)
}
