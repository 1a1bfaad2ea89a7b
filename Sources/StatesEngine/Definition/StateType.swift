/// A state's `Type`, each spelled once, in the order ValidateStateMachineDefinition lists them
/// when a definition names another ("Value should be one of the following: [Task, Pass, …]").
/// https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
public enum StateType: String, Sendable, CaseIterable {
    case task = "Task"
    case pass = "Pass"
    case choice = "Choice"
    case wait = "Wait"
    case succeed = "Succeed"
    case fail = "Fail"
    case parallel = "Parallel"
    case map = "Map"

    /// The types that may Retry and Catch (and so have `$$.State.RetryCount`, for Task).
    var recovers: Bool { self == .task || self == .parallel || self == .map }

    /// Succeed and Fail end the workflow without `End`.
    var isTerminal: Bool { self == .succeed || self == .fail }
}
