public import JSONCore

/// Mistral's text format (7B, Mixtral, and `prompt` bodies to the Large/Small models): `prompt`,
/// `max_tokens`, `stop`, `temperature`, `top_p`, `top_k`. Answers
/// `outputs[{text, stop_reason}]`. A `messages` body to a chat model answers in the chat
/// completion shape instead (`choices[{index, message, finish_reason}]`).
public struct MistralText: ModelFamilyCodec {
    public init() {}

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        let chat = reader.object["messages"] != nil && model.family == "mistral-chat"
        if chat {
            try reader.allowOnly(["messages", "max_tokens", "temperature", "top_p", "tools", "tool_choice", "stop"])
        } else {
            try reader.require(["prompt"])
            try reader.allowOnly(["prompt", "max_tokens", "stop", "temperature", "top_p", "top_k"])
        }
        let maxTokens = try reader.integer("max_tokens", min: 1, max: model.maxOutputTokens ?? 8192) ?? 512
        _ = try reader.number("temperature", min: 0, max: 1)
        _ = try reader.number("top_p", min: 0, max: 1)
        _ = try reader.integer("top_k", min: 1, max: 200)
        let stops = try reader.strings("stop", maxCount: 10) ?? []
        let input: String
        let topic: String
        if chat {
            (input, topic) = try StreamPieces.chatTexts(try reader.array("messages") ?? [], path: "#/messages")
        } else {
            input = try reader.string("prompt") ?? ""
            topic = input
        }
        var request = GenerationRequest(
            model: model, inputText: input, topicText: topic, maxTokens: maxTokens, stopSequences: stops,
            digest: RequestDigest.of(.object(reader.object), model: model.modelId))
        request.chatShape = chat
        return request
    }

    static func reason(_ completion: Completion) -> String { completion.stopReason == .maxTokens ? "length" : "stop" }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        if request.chatShape {
            return ["choices": [["index": 0, "message": ["role": "assistant", "content": .string(completion.text), "tool_calls": .null], "finish_reason": .string(Self.reason(completion))]]]
        }
        return ["outputs": [["text": .string(completion.text), "stop_reason": .string(Self.reason(completion))]]]
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        StreamPieces.map(CompletionGenerator.pieces(of: completion.text)) { piece, _, last in
            let reason: JSONValue = last ? .string(Self.reason(completion)) : .null
            var o = JSONObject()
            if request.chatShape {
                o["choices"] = [["index": 0, "message": ["role": "assistant", "content": .string(piece)], "stop_reason": reason]]
            } else {
                o["outputs"] = [["text": .string(piece), "stop_reason": reason]]
            }
            if last { o["amazon-bedrock-invocationMetrics"] = metrics.json }
            return .object(o)
        }
    }
}
