import AWSWire
import Determinism
import JSONCore
import Locking
import ServiceKit
import StatesEngine

/// Step Functions' own integration: a Task that starts an execution of another state machine
/// in the same account and region (`arn:aws:states:::states:startExecution`), answered when it
/// has started, or with `.sync` / `.sync:2` when it has ended, or (`.waitForTaskToken`, which
/// the interpreter handles) when the child sends the parent's token back. Every other resource
/// goes on to the service integrations.
/// https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
///
/// Shapes follow AWS's recorded answers (localstack's AWS-validated snapshots
/// `test_sfn_task_service` and `test_callback`): the request-response result carries the SDK's
/// HTTP metadata; `.sync` answers the child's DescribeExecution in PascalCase with `Input` and
/// `Output` as JSON text, `.sync:2` with them as JSON; a child that does not succeed fails the
/// task with `States.TaskFailed` and that description (with its `Error` and `Cause`) as the
/// cause. Dates are epoch milliseconds, as the Java SDK's objects serialize them.
struct NestedExecutions: TaskInvoker {
    let operations: StatesOperations
    let inner: any TaskInvoker

    static let startExecution = "arn:aws:states:::states:startExecution"

    enum Pattern {
        case requestResponse, sync, sync2
    }

    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        let pattern: Pattern
        switch resource {
        case Self.startExecution: pattern = .requestResponse
        case Self.startExecution + ".sync": pattern = .sync
        case Self.startExecution + ".sync:2": pattern = .sync2
        default: return try await inner.invoke(resource: resource, parameters: parameters, context: context)
        }
        let (child, requestId) = try start(parameters, context: context)
        switch pattern {
        case .requestResponse:
            return started(child, requestId: requestId)
        case .sync, .sync2:
            context.submitted?(started(child, requestId: requestId))
            return try await finished(child, asJSON: pattern == .sync2)
        }
    }

    /// Starts the child as StartExecution would, as the parent's account and region; a refusal
    /// fails the task as the Java SDK words it (`StepFunctions.<Code>Exception`).
    private func start(_ parameters: JSONValue, context: TaskContext) throws(StatesError) -> (StatesStore.Execution, String) {
        guard let machine = parameters["StateMachineArn"]?.stringValue else {
            throw StatesError.runtime("The field 'StateMachineArn' is required for the states:startExecution integration")
        }
        var input: JSONObject = ["stateMachineArn": .string(machine)]
        switch parameters["Input"] {
        case nil, .null?: input["input"] = "{}"
        case .string(let text)?: input["input"] = .string(text)
        case let value?: input["input"] = .string(value.jsonString)
        }
        if let name = parameters["Name"]?.stringValue { input["name"] = .string(name) }
        let request = operations.internalRequest(account: context.account, region: context.region)
        let requestId = request.requestId
        do {
            let (execution, reused, parsed) = try operations.prepareExecution(input, request, express: false)
            if !reused { operations.launch(execution, request: request, input: parsed) }
            return (execution, requestId)
        } catch {
            let exception = error.code.hasSuffix("Exception") ? error.code : error.code + "Exception"
            throw StatesError(
                "StepFunctions.\(exception)",
                "\(error.message ?? "") (Service: AWSStepFunctions; Status Code: \(error.status); Error Code: \(error.code); Request ID: \(requestId); Proxy: null)")
        }
    }

    /// The request-response result: the execution's ARN and start, with the SDK's metadata of
    /// the StartExecution answer it stands for.
    private func started(_ child: StatesStore.Execution, requestId: String) -> JSONValue {
        let answer: JSONValue = ["executionArn": .string(child.arn), "startDate": operations.timestamp(child.startMillis)]
        let length = String(answer.jsonBytes.count)
        let date = AWSTimestamp.httpDate(epochSeconds: child.startMillis / 1000)
        var output = JSONObject()
        output["ExecutionArn"] = .string(child.arn)
        output["SdkHttpMetadata"] = [
            "AllHttpHeaders": [
                "x-amzn-RequestId": [.string(requestId)], "connection": ["keep-alive"], "Content-Length": [.string(length)],
                "Date": [.string(date)], "Content-Type": [.string(AWSJSON10.contentType)],
            ],
            "HttpHeaders": [
                "connection": "keep-alive", "Content-Length": .string(length), "Content-Type": .string(AWSJSON10.contentType), "Date": .string(date),
                "x-amzn-RequestId": .string(requestId),
            ],
            "HttpStatusCode": 200,
        ]
        output["SdkResponseMetadata"] = ["RequestId": .string(requestId)]
        output["StartDate"] = JSONValue(Int(child.startMillis))
        return .object(output)
    }

    /// Waits for the child's end: its description when it succeeded, else the task fails.
    private func finished(_ child: StatesStore.Execution, asJSON: Bool) async throws(StatesError) -> JSONValue {
        await child.waitUntilFinished()
        if Task.isCancelled { throw StatesError(.aborted, nil) }
        let end = child.snapshot
        var described = JSONObject()
        if end.status != .succeeded {
            if let cause = end.cause { described["Cause"] = .string(cause) }
            if let error = end.error { described["Error"] = .string(error) }
        }
        described["ExecutionArn"] = .string(child.arn)
        described["Input"] = asJSON ? ((try? JSONParser.parse(child.input)) ?? .string(child.input)) : .string(child.input)
        described["InputDetails"] = ["Included": true]
        described["Name"] = .string(child.name)
        if end.status == .succeeded {
            let output = end.output ?? "null"
            described["Output"] = asJSON ? ((try? JSONParser.parse(output)) ?? .string(output)) : .string(output)
            described["OutputDetails"] = ["Included": true]
        }
        described["StartDate"] = JSONValue(Int(child.startMillis))
        described["StateMachineArn"] = .string(child.machineArn)
        described["Status"] = .string(end.status.rawValue)
        if let stop = end.stopMillis { described["StopDate"] = JSONValue(Int(stop)) }
        guard end.status == .succeeded else { throw StatesError(.taskFailed, JSONValue.object(described).jsonString) }
        return .object(described)
    }
}
