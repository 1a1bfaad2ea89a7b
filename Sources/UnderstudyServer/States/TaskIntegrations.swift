import AWSWire
import BedrockEngine
import Determinism
import JSONCore
import StatesEngine

/// The Task integrations served in process, each calling its service through the Dispatcher
/// as an SDK call would (so the journal, canned rules, faults and quotas see it):
/// `bedrock:invokeModel` and the `aws-sdk:bedrockruntime` forms, batch inference jobs
/// (`bedrock:createModelInvocationJob` and `.sync`), and S3 objects. Failures become
/// `<Service>.<Code>` with AWS's cause format. Any other resource fails the task, naming it.
struct TaskIntegrations: TaskInvoker {
    let dispatcher: Dispatcher
    let clock: any ExecutionClock

    static let bedrockRuntime = [
        "arn:aws:states:::bedrock:invokeModel", "arn:aws:states:::aws-sdk:bedrockruntime:invokeModel",
        "arn:aws:states:::aws-sdk:bedrockruntime:converse",
    ]
    static var served: [String] { bedrockRuntime + batchJobResources + s3Resources }

    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        if Self.batchJobResources.contains(resource) { return try await batchJob(resource, parameters, context: context) }
        if Self.s3Resources.contains(resource) { return try await s3(resource, parameters, context: context) }
        guard Self.bedrockRuntime.contains(resource) else {
            throw StatesError(
                "States.TaskFailed",
                "Understudy has no integration for the resource '\(resource)'. Served in process: \(Self.served.joined(separator: ", ")).")
        }
        if resource.hasSuffix(":converse") { return try await converse(parameters, context: context) }
        return try await invokeModel(parameters, context: context, sdkForm: resource.contains("aws-sdk"))
    }

    /// `aws-sdk:bedrockruntime:converse`: PascalCase parameters in, PascalCase result out, as
    /// every AWS SDK integration; documents (tool schemas, tool inputs) pass through unchanged.
    func converse(_ parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        guard let modelId = parameters["ModelId"]?.stringValue else {
            throw StatesError("States.Runtime", "The field 'ModelId' is required for the aws-sdk:bedrockruntime:converse integration")
        }
        var body = SDKMemberCase.lowerCamel(parameters).objectValue ?? JSONObject()
        body["modelId"] = nil
        let response = try await call(
            "Converse", modelId: modelId, action: "converse", headers: [("Content-Type", "application/json")], body: JSONValue.object(body).jsonBytes,
            context: context, errorPrefix: "BedrockRuntime")
        let parsed = (try? JSONParser.parse(response.body)) ?? [:]
        return SDKMemberCase.pascal(parsed)
    }

    func invokeModel(_ parameters: JSONValue, context: TaskContext, sdkForm: Bool) async throws(StatesError) -> JSONValue {
        let prefix = sdkForm ? "BedrockRuntime" : "Bedrock"
        guard let modelId = parameters["ModelId"]?.stringValue ?? parameters["modelId"]?.stringValue else {
            throw StatesError("States.Runtime", "The field 'ModelId' is required for the bedrock:invokeModel integration")
        }
        let bodyValue = parameters["Body"] ?? parameters["body"] ?? [:]
        let body = Self.bodyBytes(bodyValue)
        let contentType = parameters["ContentType"]?.stringValue ?? "application/json"
        let response = try await call(
            "InvokeModel", modelId: modelId, action: "invoke",
            headers: [("Content-Type", contentType), ("Accept", parameters["Accept"]?.stringValue ?? "application/json")], body: body,
            context: context, errorPrefix: prefix)
        var o = JSONObject()
        o["Body"] = (try? JSONParser.parse(response.body)) ?? .string(String(decoding: response.body, as: UTF8.self))
        o["ContentType"] = .string(response.header("Content-Type") ?? "application/json")
        return .object(o)
    }

    /// One Bedrock runtime call (journal, canned rules, faults and quotas apply).
    private func call(
        _ operation: String, modelId: String, action: String, headers: [(name: String, value: String)], body: [UInt8], context: TaskContext,
        errorPrefix: String
    ) async throws(StatesError) -> AWSResponse {
        try await send(
            .bedrockRuntime, "POST", "/model/\(URIEncoding.encode(modelId))/\(action)", headers: headers, body: body, operation: operation,
            context: context, errorPrefix: errorPrefix, serviceName: "BedrockRuntime")
    }

    /// A `Body` parameter as bytes: a string as its text, anything else as its JSON.
    static func bodyBytes(_ value: JSONValue?) -> [UInt8] {
        guard let value else { return [] }
        return value.stringValue.map { Array($0.utf8) } ?? value.jsonBytes
    }

    /// One call through the dispatcher as the execution's account and region. A dropped
    /// connection fails the task; simulated latency passes on the execution's clock; an error
    /// response becomes `<errorPrefix>.<Code>` with the cause AWS SDKs write.
    func send(
        _ service: AWSService, _ method: String, _ path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        operation: String, context: TaskContext, errorPrefix: String, serviceName: String
    ) async throws(StatesError) -> AWSResponse {
        let response = await dispatcher.call(
            service: service, method: method, path: path, headers: headers, body: body,
            caller: Caller(account: context.account, region: context.region, accessKeyId: nil), operation: operation, stateMachine: context.stateMachine)
        if let fault = response.connectionFault {
            throw StatesError("States.TaskFailed", "The connection to \(serviceName) failed (\(fault)) before a response arrived.")
        }
        if response.delayMillis > 0 { await clock.sleep(milliseconds: Int64(response.delayMillis)) }
        guard (200..<300).contains(response.status) else {
            let (code, message) = Self.errorCodeAndMessage(response, service: service)
            let requestId = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id") ?? ""
            throw StatesError(
                "\(errorPrefix).\(code)", "\(message) (Service: \(serviceName), Status Code: \(response.status), Request ID: \(requestId))")
        }
        return response
    }

    /// restJson1 errors name their code in `x-amzn-ErrorType`; S3's are XML, and AWS SDK
    /// integrations name them after the Java SDK's exception classes (`NoSuchKeyException`).
    static func errorCodeAndMessage(_ response: AWSResponse, service: AWSService) -> (String, String) {
        if service == .s3 {
            let document = try? XMLElement.parse(response.body)
            let code = document?.childText("Code") ?? (response.status == 404 ? "NotFound" : "S3")
            let modelled: Set<String> = ["NoSuchKey", "NoSuchBucket", "NoSuchUpload", "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "InvalidObjectState"]
            return (modelled.contains(code) ? code + "Exception" : "S3Exception", document?.childText("Message") ?? "")
        }
        let code = response.header("x-amzn-ErrorType")?.split(separator: ":").first.map(String.init) ?? "InternalServerException"
        return (code, (try? JSONParser.parse(response.body))?["message"]?.stringValue ?? "")
    }
}

/// Member-name case for AWS SDK integrations: Step Functions writes an API's members in
/// PascalCase; the wire uses lowerCamel. Document members are left as they are.
enum SDKMemberCase {
    static let documents: Set<String> = ["json", "input", "additionalModelRequestFields", "additionalModelResponseFields", "Json", "Input",
                                         "AdditionalModelRequestFields", "AdditionalModelResponseFields"]

    static func lowerCamel(_ value: JSONValue) -> JSONValue { convert(value) { $0.prefix(1).lowercased() + $0.dropFirst() } }
    static func pascal(_ value: JSONValue) -> JSONValue { convert(value) { $0.prefix(1).uppercased() + $0.dropFirst() } }

    static func convert(_ value: JSONValue, _ rename: (String) -> String) -> JSONValue {
        switch value {
        case .object(let o):
            var out = JSONObject(minimumCapacity: o.count)
            for member in o.storage {
                out[rename(member.key)] = documents.contains(member.key) ? member.value : convert(member.value, rename)
            }
            return .object(out)
        case .array(let a): return .array(a.map { convert($0, rename) })
        default: return value
        }
    }
}
