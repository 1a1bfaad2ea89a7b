/// Hears when executions start and end: the composition root's metrics.
///
/// A protocol rather than swift-metrics itself, so neither this module nor the interpreter
/// depends on a metrics package; with metrics off the server passes none. Names are AWS's
/// words (`STANDARD`/`EXPRESS`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`), ready to be
/// labels.
public protocol ExecutionObserver: Sendable {
    /// A new execution was stored (StartExecution, StartSyncExecution, a nested
    /// `states:startExecution`); a reused idempotent start is not a new one.
    func executionStarted(type: String)
    /// An execution ended, once, with the status it keeps (a redriven one may end again).
    func executionFinished(type: String, status: String)
}
