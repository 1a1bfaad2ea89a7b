import AWSWire
import BedrockEngine
import JSONCore

/// Bedrock runtime (restJson1, `bedrock-runtime` 2023-09-30, signed as `bedrock`).
public struct BedrockRuntimeFrontEnd: ServiceFrontEnd {
    public let service = AWSService.bedrockRuntime
    public let runtime: BedrockRuntime

    public init(runtime: BedrockRuntime) { self.runtime = runtime }

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

    public func handle(_ request: ServiceRequest) -> Dispatched {
        let segments = request.pathSegments
        guard let operation = Self.operationName(method: request.method, segments: segments) else {
            return error(ServiceErrors.unknownOperation(service), operation: "Unknown", request: request)
        }
        do {
            switch operation {
            case "InvokeModel":
                let (response, rule) = try invokeModel(request, modelId: segments[1])
                return Dispatched(operation: operation, response: response, rule: rule)
            case "InvokeModelWithResponseStream":
                let (response, rule) = try invokeModelWithResponseStream(request, modelId: segments[1])
                return Dispatched(operation: operation, response: response, rule: rule)
            case "Converse":
                let conversation = try runtime.converse(modelId: segments[1], body: try jsonBody(request), region: request.caller.region, account: request.caller.account)
                var response = RestJSON1.success(conversation.response, requestId: request.requestId)
                response.delayMillis = conversation.offsets == nil ? 0 : conversation.metrics.invocationLatency
                return Dispatched(operation: operation, response: response, rule: conversation.rule)
            case "ConverseStream":
                let conversation = try runtime.converse(modelId: segments[1], body: try jsonBody(request), region: request.caller.region, account: request.caller.account)
                return Dispatched(
                    operation: operation,
                    response: eventStream(conversation.events, paddings: conversation.paddings, offsets: conversation.offsets, request: request),
                    rule: conversation.rule)
            case "CountTokens":
                let input = try jsonBody(request)["input"]?.objectValue ?? JSONObject()
                let tokens = try runtime.countTokens(modelId: segments[1], input: input, region: request.caller.region)
                return Dispatched(operation: operation, response: RestJSON1.success(["inputTokens": JSONValue(tokens)], requestId: request.requestId))
            default:
                return error(ServiceErrors.notEmulated(operation, service: service), operation: operation, request: request)
            }
        } catch {
            var dispatched = self.error(
                AWSServiceError(code: error.code, message: error.message, status: error.status), operation: operation, request: request)
            dispatched.rule = error.rule
            dispatched.fault = error.quota.map { "quota:" + $0 }
            return dispatched
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

    /// An event-stream response of (event type, payload) events, each payload carrying `p`.
    func eventStream(_ events: [(String, JSONValue)], paddings: [String], offsets: [Int]?, request: ServiceRequest) -> AWSResponse {
        let frames = zip(events, paddings).map { event, padding -> [UInt8] in
            var object = event.1.objectValue ?? JSONObject()
            object["p"] = .string(padding)
            return Self.frame(.event(event.0, payload: JSONValue.object(object).jsonBytes))
        }
        return Self.streamResponse(
            frames: frames, offsets: offsets,
            headers: [("x-amzn-RequestId", request.requestId), ("Content-Type", "application/vnd.amazon.eventstream")])
    }

    /// One encoded frame; stream events are far inside every event-stream limit.
    static func frame(_ message: EventStreamMessage) -> [UInt8] { (try? EventStreamEncoder.encode(message)) ?? [] }

    /// Frames sent at once, or each at its offset when latency is simulated.
    static func streamResponse(frames: [[UInt8]], offsets: [Int]?, headers: [(name: String, value: String)]) -> AWSResponse {
        var response = AWSResponse(status: 200, headers: headers)
        if let offsets {
            response.pacedBody = zip(offsets, frames).map { ($0, $1) }
        } else {
            response.body = frames.flatMap { $0 }
        }
        return response
    }

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

    func invokeModel(_ request: ServiceRequest, modelId: String) throws(BedrockError) -> (AWSResponse, String?) {
        try checkOptions(request)
        try checkBodySize(request)
        let invocation = try runtime.invoke(modelId: modelId, body: request.body, region: request.caller.region, account: request.caller.account)
        var response = RestJSON1.success(invocation.body, requestId: request.requestId, extraHeaders: metricHeaders(invocation.metrics, request: request))
        response.delayMillis = invocation.latency == nil ? 0 : invocation.metrics.invocationLatency
        return (response, invocation.rule)
    }

    func invokeModelWithResponseStream(_ request: ServiceRequest, modelId: String) throws(BedrockError) -> (AWSResponse, String?) {
        try checkOptions(request)
        try checkBodySize(request)
        let streamed = try runtime.stream(modelId: modelId, body: request.body, region: request.caller.region, account: request.caller.account)
        let frames = zip(streamed.chunks, streamed.paddings).map { chunk, padding -> [UInt8] in
            var payload = JSONObject()
            payload["bytes"] = .string(Base64.encode(chunk.jsonBytes))
            payload["p"] = .string(padding)
            return Self.frame(.event("chunk", payload: JSONValue.object(payload).jsonBytes))
        }
        var headers: [(name: String, value: String)] = [
            ("x-amzn-RequestId", request.requestId), ("Content-Type", "application/vnd.amazon.eventstream"),
            ("X-Amzn-Bedrock-Content-Type", "application/json"),
        ]
        if let latency = request.header("X-Amzn-Bedrock-PerformanceConfig-Latency") {
            headers.append(("X-Amzn-Bedrock-PerformanceConfig-Latency", latency))
        }
        return (Self.streamResponse(frames: frames, offsets: streamed.offsets, headers: headers), streamed.rule)
    }
}
