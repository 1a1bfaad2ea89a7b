import Determinism
public import JSONCore

/// Anthropic's Messages API on Bedrock (Claude 3 and later): `anthropic_version`,
/// `max_tokens`, `messages`, optional `system`, `stop_sequences`, sampling parameters, `tools`,
/// `tool_choice`, `thinking`. Answers a `message` object; streams `message_start`,
/// `content_block_start`, `content_block_delta`…, `content_block_stop`, `message_delta`,
/// `message_stop` (the last carrying `amazon-bedrock-invocationMetrics`).
public struct AnthropicMessages: ModelFamilyCodec {
    static let keys: Set<String> = [
        "anthropic_version", "anthropic_beta", "max_tokens", "messages", "system", "stop_sequences", "temperature", "top_p",
        "top_k", "tools", "tool_choice", "thinking", "metadata",
    ]

    public init() {}

    /// `anthropic.claude-3-5-haiku-20241022-v1:0` → `claude-3-5-haiku-20241022`.
    ///
    /// Works on UTF-8 bytes (every InvokeModel asks, and Character-wise it was 3% of one).
    public static func modelName(_ modelId: String) -> String {
        var name = Substring(modelId).utf8
        let prefix = "anthropic.".utf8
        if name.starts(with: prefix) { name = name.dropFirst(prefix.count) }
        if let colon = name.firstIndex(of: UInt8(ascii: ":")) { name = name[..<colon] }
        // Drop a trailing `-v<digits>` version.
        if let dash = name.lastIndex(of: UInt8(ascii: "-")) {
            let version = name[name.index(after: dash)...]
            if version.first == UInt8(ascii: "v"), version.count > 1,
                version.dropFirst().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            {
                name = name[..<dash]
            }
        }
        return String(Substring(name))
    }

    static func isDatedVersion(_ version: String) -> Bool {
        let parts = version.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        return year >= 2023 && (1...12).contains(month) && (1...31).contains(day)
    }

    /// Text of a `content` value: a string, or the text-bearing blocks of an array.
    static func text(of content: JSONValue, path: String) throws(BedrockError) -> (text: String, hasToolResult: Bool) {
        switch content {
        case .string(let s): return (s, false)
        case .array(let blocks):
            var parts: [String] = []
            var toolResult = false
            for (i, block) in blocks.enumerated() {
                let reader = try BodyReader(block, path: "\(path)/\(i)")
                try reader.require(["type"])
                switch try reader.string("type") {
                case "text": parts.append(try reader.string("text") ?? "")
                case "tool_result":
                    toolResult = true
                    if let inner = reader.object["content"] { parts.append(try text(of: inner, path: "\(path)/\(i)/content").text) }
                case "tool_use": parts.append(reader.object["input"]?.jsonString ?? "")
                case "image", "document", "thinking", "redacted_thinking": break
                case let other?: throw .validation("messages: Input tag '\(other)' found using 'type' does not match any of the expected tags: 'document', 'image', 'redacted_thinking', 'text', 'thinking', 'tool_result', 'tool_use'")
                case nil: break
                }
            }
            return (parts.joined(separator: "\n"), toolResult)
        default:
            throw .malformed("\(path): expected type: JSONArray, found: \(BodyReader.typeName(content))")
        }
    }

    public func parse(body: [UInt8], model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let reader = try BodyReader.root(body)
        try reader.require(["anthropic_version", "max_tokens", "messages"])
        try reader.allowOnly(Self.keys)
        let version = try reader.string("anthropic_version")
        // `bedrock-2023-05-31`, or the dated API version current Anthropic SDKs send.
        guard version == "bedrock-2023-05-31" || Self.isDatedVersion(version ?? "") else {
            throw .validation("anthropic_version: Invalid value: \(version ?? ""). Expected bedrock-2023-05-31.")
        }
        let maxTokens = try reader.integer("max_tokens", min: 1) ?? 1
        if let limit = model.maxOutputTokens, maxTokens > limit {
            throw .validation(
                "max_tokens: \(maxTokens) > \(limit), which is the maximum allowed number of output tokens for \(Self.modelName(model.modelId))")
        }
        _ = try reader.number("temperature", min: 0, max: 1)
        _ = try reader.number("top_p", min: 0, max: 1)
        _ = try reader.integer("top_k", min: 0)
        let stops = try reader.strings("stop_sequences") ?? []

        var inputParts: [String] = []
        var systemText = ""
        if let system = reader.object["system"] {
            systemText = try Self.text(of: system, path: "#/system").text
            inputParts.append(systemText)
        }
        let messages = try reader.array("messages") ?? []
        guard !messages.isEmpty else { throw .malformed("#/messages: expected minimum item count: 1, found: 0") }
        var lastUser = ""
        var answersToolResult = false
        for (i, message) in messages.enumerated() {
            let m = try BodyReader(message, path: "#/messages/\(i)")
            try m.require(["role", "content"])
            let role = try m.oneOf("role", ["user", "assistant"])
            let (text, hasToolResult) = try Self.text(of: m.object["content"]!, path: "#/messages/\(i)/content")
            inputParts.append(text)
            if role == "user" {
                lastUser = text
                answersToolResult = hasToolResult
            }
        }
        guard let first = messages.first?["role"]?.stringValue, first == "user" else {
            throw .validation("messages: first message must use the \"user\" role")
        }

        var request = GenerationRequest(
            model: model, inputText: inputParts.joined(separator: "\n"), topicText: lastUser, maxTokens: maxTokens,
            stopSequences: stops, digest: RequestDigest.of(.object(reader.object), model: model.modelId))
        request.inputOverhead = 7 + 3 * messages.count
        request.answersToolResult = answersToolResult
        request.systemText = systemText
        for (i, tool) in (try reader.array("tools") ?? []).enumerated() {
            let t = try BodyReader(tool, path: "#/tools/\(i)")
            try t.require(["name"])
            request.tools.append(
                ToolSpec(name: try t.string("name") ?? "", description: try t.string("description"), inputSchema: t.object["input_schema"] ?? ["type": "object"]))
            inputParts.append(tool.jsonString)
        }
        request.inputText = inputParts.joined(separator: "\n")
        if let thinking = try reader.object("thinking") {
            switch try thinking.oneOf("type", ["enabled", "disabled"]) {
            case "enabled":
                try thinking.require(["budget_tokens"])
                let budget = try thinking.integer("budget_tokens") ?? 0
                guard budget >= 1024 else { throw .validation("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024") }
                guard maxTokens > budget else { throw .validation("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size") }
                request.thinkingBudget = budget
            default: break
            }
        }
        if let choice = try reader.object("tool_choice") {
            switch try choice.oneOf("type", ["auto", "any", "tool", "none"]) {
            case "any": request.toolChoice = .any
            case "tool":
                try choice.require(["name"])
                let name = try choice.string("name") ?? ""
                guard request.tools.contains(where: { $0.name == name }) else {
                    throw .validation("tool_choice: tool '\(name)' not found in tools")
                }
                request.toolChoice = .tool(name)
            case "none": request.toolChoice = .none
            default: request.toolChoice = .auto
            }
        }
        return request
    }

    static func stopReason(_ completion: Completion) -> (JSONValue, JSONValue) {
        switch completion.stopReason {
        case .endTurn: return ("end_turn", .null)
        case .maxTokens: return ("max_tokens", .null)
        case .stopSequence(let s): return ("stop_sequence", .string(s))
        case .toolUse: return ("tool_use", .null)
        }
    }

    static func contentBlocks(_ completion: Completion) -> [JSONValue] {
        var blocks: [JSONValue] = []
        if let thinking = completion.thinking {
            blocks.append(["type": "thinking", "thinking": .string(thinking.text), "signature": .string(thinking.signature)])
        }
        if let call = completion.toolCall {
            blocks.append(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": call.input])
        } else {
            blocks.append(["type": "text", "text": .string(completion.text)])
        }
        return blocks
    }

    public func response(_ completion: Completion, request: GenerationRequest, id: String) -> JSONValue {
        let (reason, sequence) = Self.stopReason(completion)
        var o = JSONObject()
        o["id"] = .string(id)
        o["type"] = "message"
        o["role"] = "assistant"
        o["model"] = .string(Self.modelName(request.model.modelId))
        o["content"] = .array(Self.contentBlocks(completion))
        o["stop_reason"] = reason
        o["stop_sequence"] = sequence
        o["usage"] = ["input_tokens": JSONValue(completion.inputTokens), "output_tokens": JSONValue(completion.outputTokens)]
        return .object(o)
    }

    public func chunks(_ completion: Completion, request: GenerationRequest, id: String, metrics: InvocationMetrics) -> [JSONValue] {
        var message = JSONObject()
        message["id"] = .string(id)
        message["type"] = "message"
        message["role"] = "assistant"
        message["model"] = .string(Self.modelName(request.model.modelId))
        message["content"] = []
        message["stop_reason"] = .null
        message["stop_sequence"] = .null
        message["usage"] = ["input_tokens": JSONValue(completion.inputTokens), "output_tokens": 1]
        var out: [JSONValue] = [["type": "message_start", "message": .object(message)]]
        var index = 0
        if let thinking = completion.thinking {
            out.append(["type": "content_block_start", "index": 0, "content_block": ["type": "thinking", "thinking": "", "signature": ""]])
            for piece in CompletionGenerator.pieces(of: thinking.text) {
                out.append(["type": "content_block_delta", "index": 0, "delta": ["type": "thinking_delta", "thinking": .string(piece)]])
            }
            out.append(["type": "content_block_delta", "index": 0, "delta": ["type": "signature_delta", "signature": .string(thinking.signature)]])
            out.append(["type": "content_block_stop", "index": 0])
            index = 1
        }
        let i = JSONValue(index)
        if let call = completion.toolCall {
            out.append(["type": "content_block_start", "index": i, "content_block": ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": [:]]])
            for piece in Self.jsonPieces(call.input.jsonString) {
                out.append(["type": "content_block_delta", "index": i, "delta": ["type": "input_json_delta", "partial_json": .string(piece)]])
            }
        } else {
            out.append(["type": "content_block_start", "index": i, "content_block": ["type": "text", "text": ""]])
            for piece in CompletionGenerator.pieces(of: completion.text) {
                out.append(["type": "content_block_delta", "index": i, "delta": ["type": "text_delta", "text": .string(piece)]])
            }
        }
        out.append(["type": "content_block_stop", "index": i])
        let (reason, sequence) = Self.stopReason(completion)
        out.append(["type": "message_delta", "delta": ["stop_reason": reason, "stop_sequence": sequence], "usage": ["output_tokens": JSONValue(completion.outputTokens)]])
        out.append(["type": "message_stop", "amazon-bedrock-invocationMetrics": metrics.json])
        return out
    }

    /// Splits serialized JSON into fragments of about 12 characters (streams send partial JSON).
    static func jsonPieces(_ json: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for ch in json {
            current.append(ch)
            if current.count >= 12 {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
