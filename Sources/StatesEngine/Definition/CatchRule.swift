import JSONCore

/// One `Catch` entry: the errors it handles, the state to go to, and what the state hands on
/// (JSONPath: the error output at ResultPath; JSONata: Output) and assigns.
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-fallback-states
struct CatchRule: ErrorRule {
    let errorEquals: ErrorEquals
    let next: String?
    let resultPath: ResultPath
    let output: JSONValue?
    let assign: JSONValue?

    init(_ raw: JSONValue) {
        errorEquals = ErrorEquals(raw["ErrorEquals"])
        next = raw["Next"]?.stringValue
        resultPath = ResultPath(raw["ResultPath"])
        output = raw["Output"]
        assign = raw["Assign"]
    }
}
