public import JSONCore

/// Meta Llama: `prompt`, `max_gen_len`, `temperature`, `top_p`. Answers `generation`,
/// `prompt_token_count`, `generation_token_count`, `stop_reason` (`stop` or `length`).
public struct MetaLlama: ModelFamilyCodec {
    public init() {}

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        try reader.require(["prompt"])
        try reader.allowOnly(["prompt", "max_gen_len", "temperature", "top_p", "images"])
        let prompt = try reader.string("prompt") ?? ""
        let maxTokens = try reader.integer("max_gen_len", min: 1, max: model.maxOutputTokens ?? 2048) ?? 512
        _ = try reader.number("temperature", min: 0, max: 1)
        _ = try reader.number("top_p", min: 0, max: 1)
        return GenerationRequest(
            model: model, inputText: prompt, topicText: prompt, maxTokens: maxTokens, stopSequences: [],
            digest: RequestDigest.of(.object(reader.object), model: model.modelId))
    }

    static func reason(_ completion: Completion) -> String { completion.stopReason == .maxTokens ? "length" : "stop" }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        var o = JSONObject()
        o["generation"] = .string(completion.text)
        o["prompt_token_count"] = JSONValue(completion.inputTokens)
        o["generation_token_count"] = JSONValue(completion.outputTokens)
        o["stop_reason"] = .string(Self.reason(completion))
        return .object(o)
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        var produced = 0
        return StreamPieces.map(CompletionGenerator.pieces(of: completion.text)) { piece, index, last in
            produced += TokenCounter.count(piece)
            var o = JSONObject()
            o["generation"] = .string(piece)
            o["prompt_token_count"] = index == 0 ? JSONValue(completion.inputTokens) : .null
            o["generation_token_count"] = JSONValue(last ? completion.outputTokens : produced)
            o["stop_reason"] = last ? .string(Self.reason(completion)) : .null
            if last { o["amazon-bedrock-invocationMetrics"] = metrics.json }
            return .object(o)
        }
    }
}
