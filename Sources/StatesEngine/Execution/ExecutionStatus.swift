/// An execution's (or a map run's) status, as the Step Functions API spells it.
public enum ExecutionStatus: String, Sendable, CaseIterable {
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case timedOut = "TIMED_OUT"
    case aborted = "ABORTED"
    case pendingRedrive = "PENDING_REDRIVE"

    /// The ends RedriveExecution can restart from.
    public var endsRedrivably: Bool { self == .failed || self == .timedOut || self == .aborted }
}
