/// An error inside an execution: the `Error` name a Retry/Catch matches and the `Cause` text.
public struct StatesError: Error, Sendable, Equatable {
    public var error: String
    public var cause: String?
    /// The field a JSONata failure happened in (`Output/v`), for the EvaluationFailed event.
    public var location: String?

    public init(_ error: String, _ cause: String?, location: String? = nil) {
        self.error = error
        self.cause = cause
        self.location = location
    }

    public static func runtime(_ cause: String) -> StatesError { StatesError(.runtime, cause) }
    public static func intrinsic(_ cause: String) -> StatesError { StatesError(.intrinsicFailure, cause) }
    public static func queryEvaluation(_ cause: String, location: String) -> StatesError {
        StatesError(.queryEvaluationError, cause, location: location)
    }
    public static func taskFailed(_ cause: String) -> StatesError { StatesError(.taskFailed, cause) }
}
