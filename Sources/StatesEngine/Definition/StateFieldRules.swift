/// What Step Functions accepts in each kind of state, as ValidateStateMachineDefinition
/// measures it: the fields a state type takes, the fields that exclude one another, and the
/// ranges of the numeric ones.
enum StateFieldRules {
    /// Accepted on every state.
    static let common: Set<String> = ["Type", "Comment", "QueryLanguage"]

    static let allowed: [StateType: Set<String>] = [
        .pass: ["InputPath", "OutputPath", "Result", "ResultPath", "Parameters", "Output", "Assign", "Next", "End"],
        .task: [
            "InputPath", "OutputPath", "ResultPath", "Parameters", "Arguments", "Output", "Assign", "Resource", "Credentials", "ResultSelector",
            "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Next", "End",
        ],
        .wait: ["InputPath", "OutputPath", "Output", "Assign", "Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Next", "End"],
        .parallel: [
            "InputPath", "OutputPath", "ResultPath", "Parameters", "Arguments", "Output", "Assign", "ResultSelector", "Retry", "Catch", "Branches",
            "Next", "End",
        ],
        .map: [
            "InputPath", "OutputPath", "ResultPath", "Parameters", "Output", "Assign", "ResultSelector", "Retry", "Catch", "ItemProcessor",
            "Iterator", "ItemsPath", "Items", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath",
            "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label",
            "Next", "End",
        ],
        .choice: ["InputPath", "OutputPath", "Output", "Assign", "Choices", "Default"],
        .succeed: ["InputPath", "OutputPath", "Output"],
        .fail: ["Error", "Cause", "ErrorPath", "CausePath"],
    ]

    /// The fields a state machine, a Parallel branch or a Map's item processor may hold.
    static let machineFields: Set<String> = ["Comment", "QueryLanguage", "StartAt", "TimeoutSeconds", "Version", "States"]
    static let processorFields: Set<String> = ["Comment", "StartAt", "States", "ProcessorConfig"]
    static let branchFields: Set<String> = ["Comment", "StartAt", "States"]

    /// A field and its `…Path` form, or two spellings of one field: at most one may be set.
    static let exclusivePairs: [(String, String)] = [
        ("TimeoutSeconds", "TimeoutSecondsPath"), ("HeartbeatSeconds", "HeartbeatSecondsPath"), ("MaxConcurrency", "MaxConcurrencyPath"),
        ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"), ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        ("Error", "ErrorPath"), ("Cause", "CausePath"), ("ItemProcessor", "Iterator"),
    ]

    static let waitDurations = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]

    struct NumberRange {
        var minimum: Double?
        var maximum: Double?
        /// Whole numbers only; the others print their bounds with a decimal point, as AWS does.
        var integer: Bool = true
    }

    static let stateNumbers: [String: NumberRange] = [
        "TimeoutSeconds": NumberRange(minimum: 1, maximum: 99_999_999),
        "HeartbeatSeconds": NumberRange(minimum: 1, maximum: 99_999_999),
        "Seconds": NumberRange(minimum: 0, maximum: 99_999_999),
        "MaxConcurrency": NumberRange(minimum: 0),
        "ToleratedFailureCount": NumberRange(minimum: 0),
        "ToleratedFailurePercentage": NumberRange(minimum: 0, maximum: 100, integer: false),
    ]

    static let retryNumbers: [String: NumberRange] = [
        "IntervalSeconds": NumberRange(maximum: 99_999_999),
        "MaxAttempts": NumberRange(minimum: 0, maximum: 99_999_999),
        "MaxDelaySeconds": NumberRange(minimum: 1, maximum: 31_622_400),
        "BackoffRate": NumberRange(minimum: 1, integer: false),
    ]

    static let retrierFields: Set<String> = ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"]
    static let catcherFields: Set<String> = ["ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"]

    /// Fields whose value is a path into the state's input or the context object.
    static let pathFields = [
        "InputPath", "OutputPath", "ResultPath", "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
        "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "ErrorPath", "CausePath",
    ]

    /// A Fail state's paths, which may also be a call of one of `failPathIntrinsics`.
    static let failPathFields: Set<String> = ["ErrorPath", "CausePath"]
    /// The intrinsic functions that return a string, the ones AWS lets a Fail state's
    /// ErrorPath and CausePath call (https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html).
    static let failPathIntrinsics: Set<String> = [
        "States.Format", "States.JsonToString", "States.ArrayGetItem", "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.UUID",
    ]

    /// An ErrorPath or CausePath that is a well-formed call of one of `failPathIntrinsics`
    /// (its arguments may call any intrinsic: AWS's language service accepts
    /// `States.Format('…', States.ArrayGetItem($.a, $.i), $.c)`). Parsed as the interpreter
    /// parses it, so a call that could never run is refused at creation, not at run time.
    static func isFailPathCall(_ text: String) -> Bool {
        guard IntrinsicExpression.looksLikeCall(text), case .call(let name, _)? = try? IntrinsicExpression.parse(text) else { return false }
        return failPathIntrinsics.contains(name)
    }

    /// Choice rule fields whose value must be a reference path.
    static let choicePathFields: Set<String> = [
        "Variable", "StringEqualsPath", "StringLessThanPath", "StringGreaterThanPath", "StringLessThanEqualsPath", "StringGreaterThanEqualsPath",
        "NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath", "NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath",
        "BooleanEqualsPath", "TimestampEqualsPath", "TimestampLessThanPath", "TimestampGreaterThanPath", "TimestampLessThanEqualsPath",
        "TimestampGreaterThanEqualsPath",
    ]
}
