public import JSONCore

/// Anthropic's legacy Text Completions format (Claude Instant, Claude 2.x): `prompt`,
/// `max_tokens_to_sample`, optional `stop_sequences`, `temperature`, `top_p`, `top_k`.
/// Answers `{"completion": " …", "stop_reason": …, "stop": …}`.
///
/// `"\n\nHuman:"` is always a stop sequence, so a natural end reports
/// `stop_reason: "stop_sequence"` with `stop: "\n\nHuman:"`, as the real models do. Prompts
/// without the `\n\nHuman:` turn are accepted (the seed flows send such prompts).
public struct AnthropicTextCompletions: ModelFamilyCodec {
    public static let humanTurn = "\n\nHuman:"
    static let keys: Set<String> = ["prompt", "max_tokens_to_sample", "stop_sequences", "temperature", "top_p", "top_k", "anthropic_version"]

    public init() {}

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        try reader.require(["prompt", "max_tokens_to_sample"])
        try reader.allowOnly(Self.keys)
        let prompt = try reader.string("prompt") ?? ""
        let maxTokens = try reader.integer("max_tokens_to_sample", min: 0, max: model.maxOutputTokens ?? 4096) ?? 0
        _ = try reader.number("temperature", min: 0, max: 1)
        _ = try reader.number("top_p", min: 0, max: 1)
        _ = try reader.integer("top_k", min: 0, max: 500)
        _ = try reader.string("anthropic_version")
        let stops = try reader.strings("stop_sequences") ?? []
        var topic = prompt
        if let human = prompt.range(of: Self.humanTurn) {
            topic = String(prompt[human.upperBound...])
        }
        if let assistant = topic.range(of: "\n\nAssistant:") { topic = String(topic[..<assistant.lowerBound]) }
        return GenerationRequest(
            model: model, inputText: prompt, topicText: topic, maxTokens: maxTokens, stopSequences: stops,
            digest: RequestDigest.of(.object(reader.object), model: model.modelId))
    }

    func stopFields(_ completion: Completion) -> (JSONValue, JSONValue) {
        switch completion.stopReason {
        case .maxTokens: return ("max_tokens", .null)
        case .stopSequence(let s): return ("stop_sequence", .string(s))
        case .endTurn, .toolUse: return ("stop_sequence", .string(Self.humanTurn))
        }
    }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        let (reason, stop) = stopFields(completion)
        var o = JSONObject()
        o["completion"] = .string(" " + completion.text)
        o["stop_reason"] = reason
        o["stop"] = stop
        return .object(o)
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        var pieces = CompletionGenerator.pieces(of: " " + completion.text)
        if pieces.isEmpty { pieces = [""] }
        let (reason, stop) = stopFields(completion)
        return pieces.enumerated().map { index, piece in
            var o = JSONObject()
            o["completion"] = .string(piece)
            let last = index == pieces.count - 1
            o["stop_reason"] = last ? reason : .null
            o["stop"] = last ? stop : .null
            if last { o["amazon-bedrock-invocationMetrics"] = metrics.json }
            return .object(o)
        }
    }
}
