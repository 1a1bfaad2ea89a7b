public import JSONCore

/// Amazon Titan Text (Express, Lite, Premier): `inputText` and `textGenerationConfig`
/// (`maxTokenCount`, `temperature`, `topP`, `stopSequences`). Answers `inputTextTokenCount` and
/// `results[{tokenCount, outputText, completionReason}]`.
public struct AmazonTitanText: ModelFamilyCodec {
    public init() {}

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        try reader.require(["inputText"])
        try reader.allowOnly(["inputText", "textGenerationConfig"])
        let text = try reader.string("inputText") ?? ""
        var maxTokens = 512
        var stops: [String] = []
        if let config = try reader.object("textGenerationConfig") {
            try config.allowOnly(["maxTokenCount", "temperature", "topP", "stopSequences"])
            maxTokens = try config.integer("maxTokenCount", min: 0, max: model.maxOutputTokens ?? 8192) ?? 512
            _ = try config.number("temperature", min: 0, max: 1)
            _ = try config.number("topP", min: 0, max: 1)
            stops = try config.strings("stopSequences") ?? []
        }
        return GenerationRequest(
            model: model, inputText: text, topicText: text, maxTokens: maxTokens, stopSequences: stops,
            digest: RequestDigest.of(.object(reader.object), model: model.modelId))
    }

    static func reason(_ completion: Completion) -> String {
        switch completion.stopReason {
        case .maxTokens: return "LENGTH"
        case .stopSequence: return "STOP_CRITERIA_MET"
        case .endTurn, .toolUse: return "FINISH"
        }
    }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        [
            "inputTextTokenCount": JSONValue(completion.inputTokens),
            "results": [["tokenCount": JSONValue(completion.outputTokens), "outputText": .string(completion.text), "completionReason": .string(Self.reason(completion))]],
        ]
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        let pieces = CompletionGenerator.pieces(of: completion.text)
        var produced = 0
        return StreamPieces.map(pieces) { piece, index, last in
            produced += TokenCounter.count(piece)
            var o = JSONObject()
            o["outputText"] = .string(piece)
            o["index"] = 0
            o["totalOutputTextTokenCount"] = JSONValue(last ? completion.outputTokens : produced)
            o["completionReason"] = last ? .string(Self.reason(completion)) : .null
            o["inputTextTokenCount"] = index == 0 ? JSONValue(completion.inputTokens) : .null
            if last { o["amazon-bedrock-invocationMetrics"] = metrics.json }
            return .object(o)
        }
    }
}

/// Helpers shared by the stream builders of the families.
enum StreamPieces {
    /// Maps text pieces (at least one, possibly empty) with their index and whether last.
    static func map(_ pieces: [String], _ transform: (String, Int, Bool) -> JSONValue) -> [JSONValue] {
        let all = pieces.isEmpty ? [""] : pieces
        return all.enumerated().map { transform($0.element, $0.offset, $0.offset == all.count - 1) }
    }

    /// Concatenated texts of a chat-style `messages` list (`content` a string or text blocks).
    static func chatTexts(_ messages: [JSONValue], path: String) throws(BedrockError) -> (all: String, lastUser: String) {
        var all: [String] = []
        var lastUser = ""
        for (i, message) in messages.enumerated() {
            let m = try BodyReader(message, path: "\(path)/\(i)")
            try m.require(["role", "content"])
            let role = try m.string("role") ?? ""
            var text = ""
            switch m.object["content"] {
            case .string(let s)?: text = s
            case .array(let blocks)?: text = blocks.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
            default: break
            }
            all.append(text)
            if role.lowercased() == "user" { lastUser = text }
        }
        return (all.joined(separator: "\n"), lastUser)
    }
}
