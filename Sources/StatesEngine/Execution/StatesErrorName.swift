/// The errors Step Functions itself raises, each spelled once, as the Step Functions
/// developer guide's "Error names" list spells them
/// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
public enum StatesErrorName: String, Sendable, CaseIterable {
    /// Matches any error in Retry and Catch (alone, and last).
    case all = "States.ALL"
    case aborted = "States.Aborted"
    case dataLimitExceeded = "States.DataLimitExceeded"
    case exceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
    case heartbeatTimeout = "States.HeartbeatTimeout"
    case intrinsicFailure = "States.IntrinsicFailure"
    case itemReaderFailed = "States.ItemReaderFailed"
    case noChoiceMatched = "States.NoChoiceMatched"
    case queryEvaluationError = "States.QueryEvaluationError"
    case resultWriterFailed = "States.ResultWriterFailed"
    /// Not retriable: a path, template or intrinsic that cannot be applied.
    case runtime = "States.Runtime"
    case taskFailed = "States.TaskFailed"
    case timeout = "States.Timeout"
}

extension StatesError {
    public init(_ name: StatesErrorName, _ cause: String?, location: String? = nil) {
        self.init(name.rawValue, cause, location: location)
    }

    /// Whether this is the Step Functions error of that name.
    public func `is`(_ name: StatesErrorName) -> Bool { error == name.rawValue }
}
