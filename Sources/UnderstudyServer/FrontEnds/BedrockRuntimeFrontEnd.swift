import AWSWire

/// Bedrock runtime (restJson1, `bedrock-runtime` 2023-09-30, signed as `bedrock`). Routes
/// every modelled operation by path; the runtime engine serves them as it lands.
public struct BedrockRuntimeFrontEnd: ServiceFrontEnd {
    public let service = AWSService.bedrockRuntime

    public init() {}

    public let servedOperations: [String] = []

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
        guard let operation = Self.operationName(method: request.method, segments: request.pathSegments) else {
            return error(ServiceErrors.unknownOperation(service), operation: "Unknown", request: request)
        }
        return error(ServiceErrors.notEmulated(operation, service: service), operation: operation, request: request)
    }
}
