public import AWSWire
public import BedrockEngine
import JSONCore
public import ServiceKit

/// Bedrock runtime (restJson1, `bedrock-runtime` 2023-09-30, signed as `bedrock`).
public struct BedrockRuntimeFrontEnd: ServiceFrontEnd {
    public let service = AWSService.bedrockRuntime
    public let runtime: BedrockRuntime
    /// Told the tokens of every answered invocation (the server's metrics); nil with metrics off.
    let usage: (any BedrockUsageObserver)?

    public init(runtime: BedrockRuntime, usage: (any BedrockUsageObserver)? = nil) {
        self.runtime = runtime
        self.usage = usage
    }

    public let servedOperations = ["Converse", "ConverseStream", "CountTokens", "InvokeModel", "InvokeModelWithResponseStream"]

    /// The operation a path names (`/model/{modelId}/invoke`, …), or nil.
    public static func operationName(method: String, segments: [String]) -> String? {
        switch (method, segments.first, segments.count) {
        case ("POST", "model", 3):
            switch segments[2] {
            case "invoke": return "InvokeModel"
            case "invoke-with-response-stream": return "InvokeModelWithResponseStream"
            case "converse": return "Converse"
            case "converse-stream": return "ConverseStream"
            case "count-tokens": return "CountTokens"
            case "invoke-with-bidirectional-stream": return "InvokeModelWithBidirectionalStream"
            default: return nil
            }
        case ("POST", "guardrail", 5) where segments[2] == "version" && segments[4] == "apply": return "ApplyGuardrail"
        case ("POST", "async-invoke", 1): return "StartAsyncInvoke"
        case ("GET", "async-invoke", 1): return "ListAsyncInvokes"
        case ("GET", "async-invoke", 2): return "GetAsyncInvoke"
        default: return nil
        }
    }

    /// The operation a path names, and the model it calls (`/model/{modelId}/…`).
    public func operation(for request: ServiceRequest) -> ServiceCall {
        let segments = request.pathSegments
        let name = Self.operationName(method: request.method, segments: segments) ?? "Unknown"
        return plainOperation(name, for: request, model: segments.count > 1 && segments[0] == "model" ? segments[1] : nil)
    }

    public func handle(_ operation: ServiceCall) -> Handling {
        let request = operation.request
        guard operation.name != .unknown else { return .now(.failure(ServiceErrors.unknownOperation(service))) }
        let modelId = operation.model ?? ""
        do {
            switch operation.name.rawValue {
            case "InvokeModel":
                return .now(try invokeModel(request, modelId: modelId))
            case "InvokeModelWithResponseStream":
                return .now(try invokeModelWithResponseStream(request, modelId: modelId))
            case "Converse":
                let conversation = try runtime.converse(modelId: modelId, body: try jsonBody(request), region: request.caller.region, account: request.caller.account)
                usage?.tokensUsed(model: modelId, input: conversation.metrics.inputTokens, output: conversation.metrics.outputTokens)
                return .now(
                    Reply(
                        .document(conversation.response),
                        delivery: Delivery(delayMillis: conversation.offsets == nil ? 0 : conversation.metrics.invocationLatency), rule: conversation.rule))
            case "ConverseStream":
                let conversation = try runtime.converse(modelId: modelId, body: try jsonBody(request), region: request.caller.region, account: request.caller.account)
                usage?.tokensUsed(model: modelId, input: conversation.metrics.inputTokens, output: conversation.metrics.outputTokens)
                return .now(
                    Reply(.stream(eventStream(conversation.events, paddings: conversation.paddings, offsets: conversation.offsets)), rule: conversation.rule))
            case "CountTokens":
                let input = try jsonBody(request)["input"]?.objectValue ?? JSONObject()
                let tokens = try runtime.countTokens(modelId: modelId, input: input, region: request.caller.region)
                return .now(Reply(.document(["inputTokens": JSONValue(tokens)])))
            default:
                return .now(.failure(ServiceErrors.notEmulated(operation.name.rawValue, service: service)))
            }
        } catch {
            var reply = Reply.failure(AWSServiceError(code: error.code, message: error.message, status: error.status))
            reply.rule = error.rule
            reply.fault = error.quota.map { "quota:" + $0 }
            return .now(reply)
        }
    }

    /// A restJson1 request body: a JSON object (an empty body is `{}`).
    func jsonBody(_ request: ServiceRequest) throws(BedrockError) -> JSONObject {
        if request.body.isEmpty { return JSONObject() }
        do {
            guard case .object(let object) = try JSONParser.parse(request.body) else {
                throw BedrockError(code: "SerializationException", message: "Expected a JSON object as the request body", status: 400)
            }
            return object
        } catch let error as BedrockError {
            throw error
        } catch {
            throw BedrockError(code: "SerializationException", message: "\(error)", status: 400)
        }
    }

    /// An event stream of (event type, payload) events, each payload carrying `p`.
    func eventStream(_ events: [(String, JSONValue)], paddings: [String], offsets: [Int]?) -> Outcome.EventStream {
        let frames = zip(events, paddings).map { event, padding -> [UInt8] in
            var object = event.1.objectValue ?? JSONObject()
            object["p"] = .string(padding)
            return Self.frame(.event(event.0, payload: JSONValue.object(object).jsonBytes))
        }
        return Outcome.EventStream(frames: frames, offsets: offsets)
    }

    /// One encoded frame; stream events are far inside every event-stream limit.
    static func frame(_ message: EventStreamMessage) -> [UInt8] { (try? EventStreamEncoder.encode(message)) ?? [] }

    /// Headers every invocation reports (token counts and latency).
    func metricHeaders(_ metrics: InvocationMetrics, request: ServiceRequest) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("X-Amzn-Bedrock-Invocation-Latency", String(metrics.invocationLatency)),
            ("X-Amzn-Bedrock-Output-Token-Count", String(metrics.outputTokens)),
            ("X-Amzn-Bedrock-Input-Token-Count", String(metrics.inputTokens)),
        ]
        if let latency = request.header("X-Amzn-Bedrock-PerformanceConfig-Latency") {
            headers.append(("X-Amzn-Bedrock-PerformanceConfig-Latency", latency))
        }
        if let tier = request.header("X-Amzn-Bedrock-Service-Tier") { headers.append(("X-Amzn-Bedrock-Service-Tier", tier)) }
        return headers
    }

    func checkOptions(_ request: ServiceRequest) throws(BedrockError) {
        if let latency = request.header("X-Amzn-Bedrock-PerformanceConfig-Latency"), !["standard", "optimized"].contains(latency) {
            throw .validation(
                "1 validation error detected: Value '\(latency)' at 'performanceConfigLatency' failed to satisfy constraint: Member must satisfy enum value set: [standard, optimized]")
        }
        if let trace = request.header("X-Amzn-Bedrock-Trace"), !["ENABLED", "DISABLED", "ENABLED_FULL"].contains(trace) {
            throw .validation(
                "1 validation error detected: Value '\(trace)' at 'trace' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_FULL]")
        }
    }

    /// The model constraint on InvokeModel bodies.
    static let maximumBodyBytes = 25_000_000

    func checkBodySize(_ request: ServiceRequest) throws(BedrockError) {
        guard request.body.count > Self.maximumBodyBytes else { return }
        throw .validation(
            "1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to \(Self.maximumBodyBytes)")
    }

    func invokeModel(_ request: ServiceRequest, modelId: String) throws(BedrockError) -> Reply {
        try checkOptions(request)
        try checkBodySize(request)
        let invocation = try runtime.invoke(modelId: modelId, body: request.body, region: request.caller.region, account: request.caller.account)
        usage?.tokensUsed(model: modelId, input: invocation.metrics.inputTokens, output: invocation.metrics.outputTokens)
        return Reply(
            .document(invocation.body, headers: metricHeaders(invocation.metrics, request: request)),
            delivery: Delivery(delayMillis: invocation.latency == nil ? 0 : invocation.metrics.invocationLatency), rule: invocation.rule)
    }

    func invokeModelWithResponseStream(_ request: ServiceRequest, modelId: String) throws(BedrockError) -> Reply {
        try checkOptions(request)
        try checkBodySize(request)
        let streamed = try runtime.stream(modelId: modelId, body: request.body, region: request.caller.region, account: request.caller.account)
        usage?.tokensUsed(model: modelId, input: streamed.metrics.inputTokens, output: streamed.metrics.outputTokens)
        let frames = zip(streamed.chunks, streamed.paddings).map { chunk, padding -> [UInt8] in
            var payload = JSONObject()
            payload["bytes"] = .string(Base64.encode(chunk.jsonBytes))
            payload["p"] = .string(padding)
            return Self.frame(.event("chunk", payload: JSONValue.object(payload).jsonBytes))
        }
        var headers: [(name: String, value: String)] = [("X-Amzn-Bedrock-Content-Type", "application/json")]
        if let latency = request.header("X-Amzn-Bedrock-PerformanceConfig-Latency") {
            headers.append(("X-Amzn-Bedrock-PerformanceConfig-Latency", latency))
        }
        return Reply(.stream(Outcome.EventStream(frames: frames, offsets: streamed.offsets, headers: headers)), rule: streamed.rule)
    }
}
