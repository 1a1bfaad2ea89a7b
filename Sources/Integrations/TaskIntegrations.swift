import AWSWire
import Chaos
public import JSONCore
public import ServiceKit
public import StatesEngine

/// The Task integrations served in process, each calling its service through the Dispatcher
/// as an SDK call would (so the journal, canned rules, faults and quotas see it):
/// `bedrock:invokeModel` and the `aws-sdk:bedrockruntime` forms, batch inference jobs
/// (`bedrock:createModelInvocationJob` and `.sync`), and S3 objects. Failures become
/// `<Service>.<Code>` with AWS's cause format. Any other resource fails the execution with
/// `States.Runtime`, naming it and what to configure.
public struct TaskIntegrations: TaskInvoker {
    let dispatcher: Dispatcher
    let clock: any ExecutionClock
    /// Where Lambda Tasks call their functions; nil fails them, saying what to configure.
    let lambdaEndpoint: LambdaEndpoint?

    public init(dispatcher: Dispatcher, clock: any ExecutionClock, lambdaEndpoint: LambdaEndpoint? = nil) {
        self.dispatcher = dispatcher
        self.clock = clock
        self.lambdaEndpoint = lambdaEndpoint
    }

    static let bedrockRuntime = [
        "arn:aws:states:::bedrock:invokeModel", "arn:aws:states:::aws-sdk:bedrockruntime:invokeModel",
        "arn:aws:states:::aws-sdk:bedrockruntime:converse",
    ]
    static var served: [String] { bedrockRuntime + batchJobResources + s3Resources }

    public func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        if Self.batchJobResources.contains(resource) { return try await batchJob(resource, parameters, context: context) }
        if Self.s3Resources.contains(resource) { return try await s3(resource, parameters, context: context) }
        if Self.isLambda(resource) { return try await lambda(resource, parameters, context: context) }
        guard Self.bedrockRuntime.contains(resource) else { throw Self.notServed(resource, context: context) }
        if resource.hasSuffix(":converse") { return try await converse(parameters, context: context) }
        return try await invokeModel(parameters, context: context, sdkForm: resource.contains("aws-sdk"))
    }

    /// `aws-sdk:bedrockruntime:converse`: PascalCase parameters in, PascalCase result out, as
    /// every AWS SDK integration; documents (tool schemas, tool inputs) pass through unchanged.
    func converse(_ parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        guard let modelId = parameters["ModelId"]?.stringValue else {
            throw StatesError(.runtime, "The field 'ModelId' is required for the aws-sdk:bedrockruntime:converse integration")
        }
        var body = SDKMemberCase.lowerCamel(parameters).objectValue ?? JSONObject()
        body["modelId"] = nil
        let answer = try await bedrockRuntime(
            "Converse", modelId: modelId, action: "converse", headers: [("Content-Type", "application/json")], body: JSONValue.object(body).jsonBytes,
            context: context, errorPrefix: "BedrockRuntime")
        return SDKMemberCase.pascal(answer)
    }

    func invokeModel(_ parameters: JSONValue, context: TaskContext, sdkForm: Bool) async throws(StatesError) -> JSONValue {
        let prefix = sdkForm ? "BedrockRuntime" : "Bedrock"
        guard let modelId = parameters["ModelId"]?.stringValue ?? parameters["modelId"]?.stringValue else {
            throw StatesError(.runtime, "The field 'ModelId' is required for the bedrock:invokeModel integration")
        }
        let bodyValue = parameters["Body"] ?? parameters["body"] ?? [:]
        let contentType = parameters["ContentType"]?.stringValue ?? "application/json"
        let answer = try await bedrockRuntime(
            "InvokeModel", modelId: modelId, action: "invoke",
            headers: [("Content-Type", contentType), ("Accept", parameters["Accept"]?.stringValue ?? "application/json")],
            body: Self.bodyBytes(bodyValue), context: context, errorPrefix: prefix)
        var o = JSONObject()
        o["Body"] = answer
        o["ContentType"] = .string(RestJSON1.contentType)
        return .object(o)
    }

    /// One Bedrock runtime call (journal, canned rules, faults and quotas apply); its answer is
    /// the model's JSON as the runtime made it, never re-read from bytes.
    private func bedrockRuntime(
        _ name: OperationName, modelId: String, action: String, headers: [(name: String, value: String)], body: [UInt8], context: TaskContext,
        errorPrefix: String
    ) async throws(StatesError) -> JSONValue {
        try await document(
            .bedrockRuntime, name, "POST", "/model/\(URIEncoding.encode(modelId))/\(action)", headers: headers, body: body, model: modelId,
            context: context, errorPrefix: errorPrefix, serviceName: "BedrockRuntime")
    }

    /// A `Body` parameter as bytes: a string as its text, anything else as its JSON.
    static func bodyBytes(_ value: JSONValue?) -> [UInt8] {
        guard let value else { return [] }
        return value.stringValue.map { Array($0.utf8) } ?? value.jsonBytes
    }

    /// A resource with no integration here and no mock: `States.Runtime` (which no Catch of
    /// `States.ALL` hides), saying in one sentence what to do about it.
    static func notServed(_ resource: String, context: TaskContext) -> StatesError {
        StatesError.runtime(
            "Understudy does not emulate \(resource): mock the state '\(context.stateName)' in a test case of the mock configuration "
                + "(SFN_MOCK_CONFIG, run with stateMachineArn#TestCase), or use an integration Understudy serves.")
    }

    /// One call through the dispatcher as the execution's account and region, with the same
    /// stages as an SDK's call. A dropped connection fails the task; simulated latency passes
    /// on the execution's clock; an error becomes `<errorPrefix>.<Code>` with the cause AWS
    /// SDKs write. Returns the successful outcome.
    func call(
        _ service: AWSService, _ name: OperationName, _ method: String, _ path: String, headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], input: JSONObject? = nil, model: String? = nil, context: TaskContext, errorPrefix: String, serviceName: String
    ) async throws(StatesError) -> Outcome {
        // A path may carry its query (`/bucket?list-type=2`), as an HTTP target does.
        let (rawPath, query) = path.firstIndex(of: "?").map { (String(path[..<$0]), String(path[path.index(after: $0)...])) } ?? (path, "")
        let caller = Caller(account: context.account, region: context.region, accessKeyId: nil)
        let request = ServiceRequest(
            method: method, path: rawPath, query: query, headers: headers, body: body, requestId: dispatcher.requestIds.next(), service: service, caller: caller)
        var serviceCall = ServiceCall(service: service, name: name, origin: .task, request: request, input: input, model: model, stateMachineName: context.stateMachine)
        serviceCall.taskAttempt = context.attempt
        let reply = await dispatcher.call(serviceCall)
        if let fault = reply.delivery.connectionFault {
            throw StatesError(.taskFailed, "The connection to \(serviceName) failed (\(fault.rawValue)) before a response arrived.")
        }
        if reply.delivery.delayMillis > 0 { await clock.sleep(milliseconds: Int64(reply.delivery.delayMillis)) }
        let failure: (code: String, message: String, status: Int)
        switch reply.outcome {
        case .failure(let error, _):
            failure = (Self.taskErrorCode(error.code, service: service), error.message ?? "", error.status)
        case .raw(let response) where !(200..<300).contains(response.status):
            // S3 answers HEAD and a few refusals with a status alone.
            failure = (response.status == 404 ? "NotFound" : service == .s3 ? "S3Exception" : "InternalServerException", "", response.status)
        case let success:
            return success
        }
        throw StatesError(
            "\(errorPrefix).\(failure.code)", "\(failure.message) (Service: \(serviceName), Status Code: \(failure.status), Request ID: \(request.requestId))")
    }

    /// A call whose successful answer is a JSON document (Bedrock's APIs).
    func document(
        _ service: AWSService, _ name: OperationName, _ method: String, _ path: String, headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], input: JSONObject? = nil, model: String? = nil, context: TaskContext, errorPrefix: String, serviceName: String
    ) async throws(StatesError) -> JSONValue {
        switch try await call(
            service, name, method, path, headers: headers, body: body, input: input, model: model, context: context, errorPrefix: errorPrefix,
            serviceName: serviceName)
        {
        case .document(let value, _): return value
        case .raw(let response): return (try? JSONParser.parse(response.body)) ?? .object(JSONObject())
        default: return .object(JSONObject())
        }
    }

    /// AWS SDK integrations name S3's errors after the Java SDK's exception classes
    /// (`NoSuchKeyException`); other services' codes pass through.
    static func taskErrorCode(_ code: String, service: AWSService) -> String {
        guard service == .s3 else { return code }
        let modelled: Set<String> = ["NoSuchKey", "NoSuchBucket", "NoSuchUpload", "BucketAlreadyExists", "BucketAlreadyOwnedByYou", "InvalidObjectState"]
        return modelled.contains(code) ? code + "Exception" : "S3Exception"
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
