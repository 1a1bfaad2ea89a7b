import AWSWire
import BedrockEngine
import Determinism
import JSONCore
import StatesEngine

/// Task integrations served in process: `arn:aws:states:::bedrock:invokeModel` (and the
/// `aws-sdk:bedrockruntime:invokeModel` form) call InvokeModel through the Dispatcher, as an
/// SDK call would; failures become `Bedrock.<Code>` with AWS's cause format. Any other resource
/// fails the task, naming it.
struct BedrockTaskInvoker: TaskInvoker {
    let dispatcher: Dispatcher
    let clock: any ExecutionClock

    static let served = ["arn:aws:states:::bedrock:invokeModel", "arn:aws:states:::aws-sdk:bedrockruntime:invokeModel"]

    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        guard Self.served.contains(resource) else {
            throw StatesError(
                "States.TaskFailed",
                "Understudy has no integration for the resource '\(resource)'. Served in process: \(Self.served.joined(separator: ", ")).")
        }
        return try await invokeModel(parameters, context: context, sdkForm: resource.contains("aws-sdk"))
    }

    func invokeModel(_ parameters: JSONValue, context: TaskContext, sdkForm: Bool) async throws(StatesError) -> JSONValue {
        let prefix = sdkForm ? "BedrockRuntime" : "Bedrock"
        guard let modelId = parameters["ModelId"]?.stringValue ?? parameters["modelId"]?.stringValue else {
            throw StatesError("States.Runtime", "The field 'ModelId' is required for the bedrock:invokeModel integration")
        }
        let bodyValue = parameters["Body"] ?? parameters["body"] ?? [:]
        let body: [UInt8] = bodyValue.stringValue.map { Array($0.utf8) } ?? bodyValue.jsonBytes
        let contentType = parameters["ContentType"]?.stringValue ?? "application/json"
        var response = await dispatcher.call(
            service: .bedrockRuntime, method: "POST", path: "/model/\(URIEncoding.encode(modelId))/invoke",
            headers: [("Content-Type", contentType), ("Accept", parameters["Accept"]?.stringValue ?? "application/json")], body: body,
            caller: Caller(account: context.account, region: context.region, accessKeyId: nil))
        // Simulated model latency passes on the execution's clock (scaled by --time-scale).
        if response.delayMillis > 0 {
            await clock.sleep(milliseconds: Int64(response.delayMillis))
            response.delayMillis = 0
        }
        guard response.status == 200 else {
            let code = response.header("x-amzn-ErrorType")?.split(separator: ":").first.map(String.init) ?? "InternalServerException"
            let message = (try? JSONParser.parse(response.body))?["message"]?.stringValue ?? ""
            throw StatesError(
                "\(prefix).\(code)",
                "\(message) (Service: BedrockRuntime, Status Code: \(response.status), Request ID: \(response.header("x-amzn-RequestId") ?? ""))")
        }
        var o = JSONObject()
        o["Body"] = (try? JSONParser.parse(response.body)) ?? .string(String(decoding: response.body, as: UTF8.self))
        o["ContentType"] = .string(response.header("Content-Type") ?? "application/json")
        return .object(o)
    }
}
