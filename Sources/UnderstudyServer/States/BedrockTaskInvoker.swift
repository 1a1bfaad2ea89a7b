import BedrockEngine
import Determinism
import JSONCore
import StatesEngine

/// Task integrations served in process: `arn:aws:states:::bedrock:invokeModel` (and the
/// `aws-sdk:bedrockruntime:invokeModel` form) call the Bedrock engine directly. Any other
/// resource fails the task, naming it.
struct BedrockTaskInvoker: TaskInvoker {
    let runtime: BedrockRuntime

    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        switch resource {
        case "arn:aws:states:::bedrock:invokeModel", "arn:aws:states:::aws-sdk:bedrockruntime:invokeModel":
            return try invokeModel(parameters, context: context, sdkForm: resource.contains("aws-sdk"))
        default:
            throw StatesError(
                "States.TaskFailed",
                "Understudy has no integration for the resource '\(resource)'. Served in process: arn:aws:states:::bedrock:invokeModel, arn:aws:states:::aws-sdk:bedrockruntime:invokeModel.")
        }
    }

    func invokeModel(_ parameters: JSONValue, context: TaskContext, sdkForm: Bool) throws(StatesError) -> JSONValue {
        let prefix = sdkForm ? "BedrockRuntime" : "Bedrock"
        guard let modelId = parameters["ModelId"]?.stringValue ?? parameters["modelId"]?.stringValue else {
            throw StatesError("States.Runtime", "The field 'ModelId' is required for the bedrock:invokeModel integration")
        }
        let bodyValue = parameters["Body"] ?? parameters["body"] ?? [:]
        let body: [UInt8] = bodyValue.stringValue.map { Array($0.utf8) } ?? bodyValue.jsonBytes
        do {
            let invocation = try runtime.invoke(modelId: modelId, body: body, region: context.region)
            var o = JSONObject()
            o["Body"] = invocation.body
            o["ContentType"] = "application/json"
            return .object(o)
        } catch {
            var random = SeededRandom(seed: StableHash.of(context.executionArn + context.stateName + error.message), label: "request-id")
            throw StatesError(
                "\(prefix).\(error.code)",
                "\(error.message) (Service: BedrockRuntime, Status Code: \(error.status), Request ID: \(random.uuidV4()))")
        }
    }
}
