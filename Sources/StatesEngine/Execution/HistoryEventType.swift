/// Every history event type the interpreter records, each spelled once as GetExecutionHistory
/// returns it. https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
public enum HistoryEventType: String, Sendable, CaseIterable {
    case executionStarted = "ExecutionStarted"
    case executionSucceeded = "ExecutionSucceeded"
    case executionFailed = "ExecutionFailed"
    case executionAborted = "ExecutionAborted"
    case executionTimedOut = "ExecutionTimedOut"
    case executionRedriven = "ExecutionRedriven"

    case taskStateEntered = "TaskStateEntered"
    case taskStateExited = "TaskStateExited"
    case passStateEntered = "PassStateEntered"
    case passStateExited = "PassStateExited"
    case choiceStateEntered = "ChoiceStateEntered"
    case choiceStateExited = "ChoiceStateExited"
    case waitStateEntered = "WaitStateEntered"
    case waitStateExited = "WaitStateExited"
    case succeedStateEntered = "SucceedStateEntered"
    case succeedStateExited = "SucceedStateExited"
    case failStateEntered = "FailStateEntered"
    case parallelStateEntered = "ParallelStateEntered"
    case parallelStateExited = "ParallelStateExited"
    case mapStateEntered = "MapStateEntered"
    case mapStateExited = "MapStateExited"

    case taskScheduled = "TaskScheduled"
    case taskStarted = "TaskStarted"
    case taskSubmitted = "TaskSubmitted"
    case taskSucceeded = "TaskSucceeded"
    case taskFailed = "TaskFailed"
    case taskTimedOut = "TaskTimedOut"

    case lambdaFunctionScheduled = "LambdaFunctionScheduled"
    case lambdaFunctionStarted = "LambdaFunctionStarted"
    case lambdaFunctionSucceeded = "LambdaFunctionSucceeded"
    case lambdaFunctionFailed = "LambdaFunctionFailed"
    case lambdaFunctionTimedOut = "LambdaFunctionTimedOut"

    case activityScheduled = "ActivityScheduled"
    case activityScheduleFailed = "ActivityScheduleFailed"
    case activityStarted = "ActivityStarted"
    case activitySucceeded = "ActivitySucceeded"
    case activityFailed = "ActivityFailed"
    case activityTimedOut = "ActivityTimedOut"

    case parallelStateStarted = "ParallelStateStarted"
    case parallelStateSucceeded = "ParallelStateSucceeded"
    case parallelStateFailed = "ParallelStateFailed"

    case mapStateStarted = "MapStateStarted"
    case mapStateSucceeded = "MapStateSucceeded"
    case mapStateFailed = "MapStateFailed"
    case mapIterationStarted = "MapIterationStarted"
    case mapIterationSucceeded = "MapIterationSucceeded"
    case mapIterationFailed = "MapIterationFailed"
    case mapIterationAborted = "MapIterationAborted"
    case mapRunStarted = "MapRunStarted"
    case mapRunSucceeded = "MapRunSucceeded"
    case mapRunFailed = "MapRunFailed"

    case evaluationFailed = "EvaluationFailed"

    /// `<Type>StateEntered`.
    static func entered(_ type: StateType) -> HistoryEventType {
        switch type {
        case .task: return .taskStateEntered
        case .pass: return .passStateEntered
        case .choice: return .choiceStateEntered
        case .wait: return .waitStateEntered
        case .succeed: return .succeedStateEntered
        case .fail: return .failStateEntered
        case .parallel: return .parallelStateEntered
        case .map: return .mapStateEntered
        }
    }

    /// `<Type>StateExited`; a Fail state never exits.
    static func exited(_ type: StateType) -> HistoryEventType? {
        switch type {
        case .task: return .taskStateExited
        case .pass: return .passStateExited
        case .choice: return .choiceStateExited
        case .wait: return .waitStateExited
        case .succeed: return .succeedStateExited
        case .fail: return nil
        case .parallel: return .parallelStateExited
        case .map: return .mapStateExited
        }
    }

    /// Records a state entering (`*StateEntered`).
    public var isStateEntered: Bool { rawValue.hasSuffix("StateEntered") }

    /// The execution's last event: nothing is recorded after it.
    var endsExecution: Bool {
        self == .executionSucceeded || self == .executionFailed || self == .executionAborted || self == .executionTimedOut
    }

    /// The member that holds the event's details: `stateEnteredEventDetails` for every
    /// `*StateEntered`, `taskScheduledEventDetails` for TaskScheduled, and so on.
    var detailsKey: String { Self.detailsKeys[self] ?? "" }

    /// Worked out once: every event of every state looks its key up.
    private static let detailsKeys: [HistoryEventType: String] = Dictionary(uniqueKeysWithValues: allCases.map { type in
        let key: String
        if type.isStateEntered {
            key = "stateEnteredEventDetails"
        } else if type.rawValue.hasSuffix("StateExited") {
            key = "stateExitedEventDetails"
        } else {
            key = type.rawValue.prefix(1).lowercased() + type.rawValue.dropFirst() + "EventDetails"
        }
        return (type, key)
    })
}
