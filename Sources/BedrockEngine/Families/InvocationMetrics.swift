public import JSONCore

/// What Bedrock reports about an invocation: token counts and latencies (milliseconds).
public struct InvocationMetrics: Sendable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var invocationLatency: Int
    public var firstByteLatency: Int

    public init(inputTokens: Int, outputTokens: Int, invocationLatency: Int, firstByteLatency: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.invocationLatency = invocationLatency
        self.firstByteLatency = firstByteLatency
    }

    /// `amazon-bedrock-invocationMetrics`, carried by the last chunk of a stream.
    public var json: JSONValue {
        var o = JSONObject()
        o["inputTokenCount"] = JSONValue(inputTokens)
        o["outputTokenCount"] = JSONValue(outputTokens)
        o["invocationLatency"] = JSONValue(invocationLatency)
        o["firstByteLatency"] = JSONValue(firstByteLatency)
        return .object(o)
    }
}

/// A model family's native request and response format for InvokeModel.
public protocol ModelFamilyCodec: Sendable {
    /// Validates the body and reduces it to a generation request.
    func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest
    /// The InvokeModel response body.
    func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue
    /// The stream's chunk payloads (each the decoded JSON inside a `chunk` event's `bytes`).
    func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue]
}
