public import JSONCore

/// AI21 Jamba: OpenAI-style chat (`messages`, `max_tokens`, `temperature`, `top_p`, `stop`,
/// `n`). Answers `id`, `choices[{index, message, finish_reason}]`, `usage`, `meta`, `model`.
public struct AI21Jamba: ModelFamilyCodec {
    public init() {}

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        try reader.require(["messages"])
        try reader.allowOnly(["messages", "max_tokens", "temperature", "top_p", "stop", "n", "frequency_penalty", "presence_penalty", "tools", "response_format", "documents"])
        let maxTokens = try reader.integer("max_tokens", min: 0, max: model.maxOutputTokens ?? 4096) ?? 4096
        _ = try reader.number("temperature", min: 0, max: 2)
        _ = try reader.number("top_p", min: 0, max: 1)
        let (input, topic) = try StreamPieces.chatTexts(try reader.array("messages") ?? [], path: "#/messages")
        return GenerationRequest(
            model: model, inputText: input, topicText: topic, maxTokens: maxTokens, stopSequences: try reader.strings("stop") ?? [],
            digest: RequestDigest.of(.object(reader.object), model: model.modelId))
    }

    static func reason(_ completion: Completion) -> String { completion.stopReason == .maxTokens ? "length" : "stop" }

    /// `ai21.jamba-1-5-mini-v1:0` → `jamba-1.5-mini`.
    static func modelName(_ modelId: String) -> String {
        var name = String(modelId.dropFirst("ai21.".count).prefix(while: { $0 != ":" }))
        if name.hasSuffix("-v1") { name.removeLast(3) }
        return name.replacingOccurrences(of: "jamba-1-5", with: "jamba-1.5")
    }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        var o = JSONObject()
        o["id"] = .string("chatcmpl-" + id.dropFirst("msg_bdrk_01".count))
        o["choices"] = [["index": 0, "message": ["role": "assistant", "content": .string(completion.text), "tool_calls": .null], "finish_reason": .string(Self.reason(completion))]]
        o["usage"] = [
            "prompt_tokens": JSONValue(completion.inputTokens), "completion_tokens": JSONValue(completion.outputTokens),
            "total_tokens": JSONValue(completion.inputTokens + completion.outputTokens),
        ]
        o["meta"] = ["requestDurationMillis": 0]
        o["model"] = .string(Self.modelName(request.model.modelId))
        return .object(o)
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        let chatId = "chatcmpl-" + id.dropFirst("msg_bdrk_01".count)
        var out: [JSONValue] = [["id": .string(chatId), "choices": [["index": 0, "delta": ["role": "assistant"], "finish_reason": .null]]]]
        for piece in CompletionGenerator.pieces(of: completion.text) {
            out.append(["id": .string(chatId), "choices": [["index": 0, "delta": ["content": .string(piece)], "finish_reason": .null]]])
        }
        out.append([
            "id": .string(chatId), "choices": [["index": 0, "delta": [:], "finish_reason": .string(Self.reason(completion))]],
            "usage": ["prompt_tokens": JSONValue(completion.inputTokens), "completion_tokens": JSONValue(completion.outputTokens), "total_tokens": JSONValue(completion.inputTokens + completion.outputTokens)],
            "amazon-bedrock-invocationMetrics": metrics.json,
        ])
        return out
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
