import JSONCore

/// A Parallel state: its branches, their common input, and how it recovers.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
struct ParallelState: Sendable {
    let branches: [StateMachineDefinition]
    /// `Parameters` (JSONPath) or `Arguments` (JSONata).
    let parameters: JSONValue?
    let resultSelector: JSONValue?
    let resultPath: ResultPath
    var retry: [RetryPolicy]
    let catchers: [CatchRule]

    init(_ o: JSONObject, branches: [StateMachineDefinition], jsonata: Bool) {
        self.branches = branches
        parameters = jsonata ? o["Arguments"] : o["Parameters"]
        resultSelector = o["ResultSelector"]
        resultPath = ResultPath(o["ResultPath"])
        retry = (o["Retry"]?.arrayValue ?? []).map(RetryPolicy.init)
        catchers = (o["Catch"]?.arrayValue ?? []).map(CatchRule.init)
    }
}
