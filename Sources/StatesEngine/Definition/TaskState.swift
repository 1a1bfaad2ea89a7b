import JSONCore

/// A Task state: the resource it runs, with what input, for how long, and how it recovers.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
struct TaskState: Sendable {
    let resource: TaskResource
    /// `Parameters` (JSONPath) or `Arguments` (JSONata): the resource's input template.
    let parameters: JSONValue?
    let resultSelector: JSONValue?
    let resultPath: ResultPath
    let timeout: TaskTimeout?
    let heartbeat: TaskTimeout?
    var retry: [RetryPolicy]
    let catchers: [CatchRule]

    init(_ o: JSONObject, jsonata: Bool) {
        resource = TaskResource(o["Resource"]?.stringValue ?? "")
        parameters = jsonata ? o["Arguments"] : o["Parameters"]
        resultSelector = o["ResultSelector"]
        resultPath = ResultPath(o["ResultPath"])
        timeout = TaskTimeout("TimeoutSeconds", in: o, jsonata: jsonata)
        heartbeat = TaskTimeout("HeartbeatSeconds", in: o, jsonata: jsonata)
        retry = (o["Retry"]?.arrayValue ?? []).map(RetryPolicy.init)
        catchers = (o["Catch"]?.arrayValue ?? []).map(CatchRule.init)
    }
}
