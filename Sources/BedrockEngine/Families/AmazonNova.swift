public import JSONCore

/// Amazon Nova (`messages-v1`): `system`, `messages` with content blocks, `inferenceConfig`
/// (`maxTokens`/`max_new_tokens`, `temperature`, `topP`/`top_p`, `topK`/`top_k`,
/// `stopSequences`), `toolConfig`. Answers like Converse, plus cache token counts; streams
/// `messageStart`, `contentBlockDelta`…, `contentBlockStop`, `messageStop`, `metadata`.
public struct AmazonNova: ModelFamilyCodec {
    public init() {}

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        try reader.require(["messages"])
        try reader.allowOnly(["schemaVersion", "system", "messages", "inferenceConfig", "toolConfig"])
        if let version = try reader.string("schemaVersion"), version != "messages-v1" {
            throw .malformed("#/schemaVersion: \(version) is not a valid enum value")
        }
        var converse = JSONObject()
        converse["messages"] = reader.object["messages"]
        converse["system"] = reader.object["system"]
        converse["toolConfig"] = reader.object["toolConfig"]
        if let config = try reader.object("inferenceConfig") {
            try config.allowOnly(["maxTokens", "max_new_tokens", "temperature", "topP", "top_p", "topK", "top_k", "stopSequences"])
            var mapped = JSONObject()
            mapped["maxTokens"] = config.object["maxTokens"] ?? config.object["max_new_tokens"]
            mapped["temperature"] = config.object["temperature"]
            mapped["topP"] = config.object["topP"] ?? config.object["top_p"]
            mapped["stopSequences"] = config.object["stopSequences"]
            converse["inferenceConfig"] = .object(mapped)
        }
        var request = try ConverseCodec().parse(converse, model: model)
        request.digest = RequestDigest.of(.object(reader.object), model: model.modelId)
        return request
    }

    static func usage(_ completion: Completion) -> JSONValue {
        [
            "inputTokens": JSONValue(completion.inputTokens), "outputTokens": JSONValue(completion.outputTokens),
            "totalTokens": JSONValue(completion.inputTokens + completion.outputTokens), "cacheReadInputTokenCount": 0,
            "cacheWriteInputTokenCount": 0,
        ]
    }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        let block: JSONValue = completion.toolCall.map {
            ["toolUse": ["toolUseId": .string($0.id), "name": .string($0.name), "input": $0.input]]
        } ?? ["text": .string(completion.text)]
        return [
            "output": ["message": ["content": [block], "role": "assistant"]],
            "stopReason": .string(ConverseCodec.stopReason(completion)), "usage": Self.usage(completion),
        ]
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        var out: [JSONValue] = [["messageStart": ["role": "assistant"]]]
        for (type, payload) in ConverseCodec().events(completion, metrics: metrics).dropFirst() where type != "metadata" {
            out.append(.object(JSONObject([(type, payload)])))
        }
        out.append(["metadata": ["usage": Self.usage(completion), "metrics": [:], "trace": [:]], "amazon-bedrock-invocationMetrics": metrics.json])
        return out
    }
}
