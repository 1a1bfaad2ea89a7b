import Determinism
public import JSONCore

/// Cohere Command R and R+: `message`, `chat_history`, `preamble`, `max_tokens`,
/// `temperature`, `p`, `k`, `stop_sequences`, `tools`. Answers `response_id`, `text`,
/// `generation_id`, `chat_history`, `finish_reason`; streams `stream-start`,
/// `text-generation`…, `stream-end`.
public struct CohereCommandR: ModelFamilyCodec {
    static let keys: Set<String> = [
        "message", "chat_history", "preamble", "documents", "search_queries_only", "max_tokens", "temperature", "p", "k",
        "prompt_truncation", "frequency_penalty", "presence_penalty", "seed", "return_prompt", "tools", "tool_results",
        "stop_sequences", "raw_prompting",
    ]

    public init() {}

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        try reader.require(["message"])
        try reader.allowOnly(Self.keys)
        let message = try reader.string("message") ?? ""
        let maxTokens = try reader.integer("max_tokens", min: 1, max: model.maxOutputTokens ?? 4000) ?? 512
        _ = try reader.number("temperature", min: 0, max: 1)
        _ = try reader.number("p", min: 0.01, max: 0.99)
        _ = try reader.integer("k", min: 0, max: 500)
        var input = [try reader.string("preamble") ?? ""]
        for (i, turn) in (try reader.array("chat_history") ?? []).enumerated() {
            let t = try BodyReader(turn, path: "#/chat_history/\(i)")
            _ = try t.oneOf("role", ["USER", "CHATBOT", "SYSTEM", "TOOL"])
            input.append(try t.string("message") ?? "")
        }
        input.append(message)
        return GenerationRequest(
            model: model, inputText: input.joined(separator: "\n"), topicText: message, maxTokens: maxTokens,
            stopSequences: try reader.strings("stop_sequences") ?? [], digest: RequestDigest.of(.object(reader.object), model: model.modelId))
    }

    static func reason(_ completion: Completion) -> String {
        switch completion.stopReason {
        case .maxTokens: return "MAX_TOKENS"
        case .stopSequence: return "STOP_SEQUENCE"
        case .endTurn, .toolUse: return "COMPLETE"
        }
    }

    func ids(_ id: String) -> (String, String) {
        var random = SeededRandom(seed: StableHash.of(id), label: "cohere")
        return (random.uuidV4(), random.uuidV4())
    }

    func body(_ completion: Completion, request: GenerationRequest, id: String) -> JSONObject {
        let (responseId, generationId) = ids(id)
        var o = JSONObject()
        o["response_id"] = .string(responseId)
        o["text"] = .string(completion.text)
        o["generation_id"] = .string(generationId)
        o["chat_history"] = [["role": "USER", "message": .string(request.topicText)], ["role": "CHATBOT", "message": .string(completion.text)]]
        o["finish_reason"] = .string(Self.reason(completion))
        return o
    }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        .object(body(completion, request: request, id: id))
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        let (_, generationId) = ids(id)
        var out: [JSONValue] = [["is_finished": false, "event_type": "stream-start", "generation_id": .string(generationId)]]
        for piece in CompletionGenerator.pieces(of: completion.text) {
            out.append(["is_finished": false, "event_type": "text-generation", "text": .string(piece)])
        }
        var end = JSONObject()
        end["is_finished"] = true
        end["event_type"] = "stream-end"
        end["response"] = .object(body(completion, request: request, id: id))
        end["finish_reason"] = .string(Self.reason(completion))
        end["amazon-bedrock-invocationMetrics"] = metrics.json
        out.append(.object(end))
        return out
    }
}
