/// An error inside an execution: the `Error` name a Retry/Catch matches and the `Cause` text.
public struct StatesError: Error, Sendable, Equatable {
    public var error: String
    public var cause: String?

    public init(_ error: String, _ cause: String?) {
        self.error = error
        self.cause = cause
    }

    public static func runtime(_ cause: String) -> StatesError { StatesError("States.Runtime", cause) }
    public static func intrinsic(_ cause: String) -> StatesError { StatesError("States.IntrinsicFailure", cause) }
    public static func taskFailed(_ cause: String) -> StatesError { StatesError("States.TaskFailed", cause) }
}
