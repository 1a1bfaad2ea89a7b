public import JSONCore

/// The Converse API (model-agnostic): `messages` of content-block unions, `system`,
/// `inferenceConfig`, `toolConfig`. Every text model that supports Converse is served through
/// it, whatever its native format.
public struct ConverseCodec: Sendable {
    public init() {}

    static let requestKeys: Set<String> = [
        "messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig", "additionalModelRequestFields",
        "promptVariables", "additionalModelResponseFieldPaths", "requestMetadata", "performanceConfig", "serviceTier",
        "outputConfig",
    ]

    static func constraint(_ value: String, _ member: String, _ rule: String) -> BedrockError {
        .validation("1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: \(rule)")
    }

    /// Text of one content block union (and whether it is a tool result).
    static func text(of block: JSONValue, path: String) throws(BedrockError) -> (String, Bool) {
        guard case .object(let o) = block, o.count >= 1 else { throw .validation("\(path) must set exactly one member of the ContentBlock union") }
        if let text = o["text"]?.stringValue { return (text, false) }
        if let use = o["toolUse"] { return (use["input"]?.jsonString ?? "", false) }
        if let result = o["toolResult"] {
            let parts = (result["content"]?.arrayValue ?? []).map { $0["text"]?.stringValue ?? $0["json"]?.jsonString ?? "" }
            return (parts.joined(separator: "\n"), true)
        }
        return ("", false)
    }

    /// Reduces a Converse (or CountTokens `converse`) request to a generation request.
    public func parse(_ body: JSONObject, model: FoundationModel) throws(BedrockError) -> GenerationRequest {
        let messages = body["messages"]?.arrayValue ?? []
        guard !messages.isEmpty else {
            throw .validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
        }
        var inputParts: [String] = []
        for (i, block) in (body["system"]?.arrayValue ?? []).enumerated() {
            if let text = block["text"]?.stringValue {
                guard !text.isEmpty else { throw Self.constraint("", "system.\(i + 1).member.text", "Member must have length greater than or equal to 1") }
                inputParts.append(text)
            }
        }
        var lastRole: String? = nil
        var lastUser = ""
        var answersToolResult = false
        for (i, message) in messages.enumerated() {
            let role = message["role"]?.stringValue ?? ""
            guard role == "user" || role == "assistant" else {
                throw Self.constraint(role, "messages.\(i + 1).member.role", "Member must satisfy enum value set: [user, assistant]")
            }
            if i == 0, role != "user" {
                throw .validation("A conversation must start with a user message. Try again with a conversation that starts with a user message.")
            }
            if role == lastRole {
                throw .validation(
                    "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.")
            }
            lastRole = role
            var texts: [String] = []
            var toolResult = false
            for (j, block) in (message["content"]?.arrayValue ?? []).enumerated() {
                let (text, isResult) = try Self.text(of: block, path: "messages.\(i + 1).member.content.\(j + 1).member")
                texts.append(text)
                toolResult = toolResult || isResult
            }
            let text = texts.joined(separator: "\n")
            inputParts.append(text)
            if role == "user" {
                lastUser = text
                answersToolResult = toolResult
            }
        }

        let config = body["inferenceConfig"]?.objectValue ?? JSONObject()
        let limit = model.maxOutputTokens ?? 4096
        var maxTokens = min(limit, 4096)
        if let requested = config["maxTokens"] {
            guard let value = requested.intValue, value >= 1 else {
                throw Self.constraint(requested.jsonString, "inferenceConfig.maxTokens", "Member must have value greater than or equal to 1")
            }
            guard value <= limit else {
                throw .validation(
                    "The maximum tokens you requested exceeds the model limit of \(limit). Try again with a maximum tokens value that is lower than \(limit).")
            }
            maxTokens = value
        }
        for key in ["temperature", "topP"] {
            if let value = config[key]?.doubleValue, !(0...1).contains(value) {
                let rule = value < 0 ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 1"
                throw Self.constraint(config[key]!.jsonString, "inferenceConfig.\(key)", rule)
            }
        }
        let stops = (config["stopSequences"]?.arrayValue ?? []).compactMap(\.stringValue)

        var request = GenerationRequest(
            model: model, inputText: "", topicText: lastUser, maxTokens: maxTokens, stopSequences: stops,
            digest: RequestDigest.of(.object(body), model: model.modelId))
        request.systemText = (body["system"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        request.answersToolResult = answersToolResult
        request.toolUseIdPrefix = "tooluse_"
        if let tools = body["toolConfig"] {
            for (i, tool) in (tools["tools"]?.arrayValue ?? []).enumerated() {
                guard let spec = tool["toolSpec"], let name = spec["name"]?.stringValue else { continue }
                guard !name.isEmpty, name.utf8.count <= 64,
                    name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F || $0 == 0x2D })
                else {
                    throw Self.constraint(name, "toolConfig.tools.\(i + 1).member.toolSpec.name", "Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+")
                }
                request.tools.append(ToolSpec(name: name, description: spec["description"]?.stringValue, inputSchema: spec["inputSchema"]?["json"] ?? ["type": "object"]))
                inputParts.append(tool.jsonString)
            }
            if let choice = tools["toolChoice"]?.objectValue {
                if choice["any"] != nil { request.toolChoice = .any }
                if let name = choice["tool"]?["name"]?.stringValue {
                    guard request.tools.contains(where: { $0.name == name }) else {
                        throw .validation("The tool choice \(name) is not one of the tools provided. Try again with a valid tool choice.")
                    }
                    request.toolChoice = .tool(name)
                }
            }
        }
        if let thinking = body["additionalModelRequestFields"]?["thinking"], thinking["type"]?.stringValue == "enabled" {
            let budget = thinking["budget_tokens"]?.intValue ?? 0
            guard budget >= 1024 else { throw .validation("The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024") }
            request.thinkingBudget = budget
        }
        request.inputText = inputParts.joined(separator: "\n")
        request.inputOverhead = 7 + 3 * messages.count
        return request
    }

    static func stopReason(_ completion: Completion) -> String {
        switch completion.stopReason {
        case .endTurn: return "end_turn"
        case .maxTokens: return "max_tokens"
        case .stopSequence: return "stop_sequence"
        case .toolUse: return "tool_use"
        }
    }

    static func usage(_ completion: Completion) -> JSONValue {
        [
            "inputTokens": JSONValue(completion.inputTokens), "outputTokens": JSONValue(completion.outputTokens),
            "totalTokens": JSONValue(completion.inputTokens + completion.outputTokens),
        ]
    }

    public func response(_ completion: Completion, metrics: InvocationMetrics) -> JSONValue {
        var blocks: [JSONValue] = []
        if let thinking = completion.thinking {
            blocks.append(["reasoningContent": ["reasoningText": ["text": .string(thinking.text), "signature": .string(thinking.signature)]]])
        }
        if let call = completion.toolCall {
            blocks.append(["toolUse": ["toolUseId": .string(call.id), "name": .string(call.name), "input": call.input]])
        } else {
            blocks.append(["text": .string(completion.text)])
        }
        var o = JSONObject()
        o["output"] = ["message": ["role": "assistant", "content": .array(blocks)]]
        o["stopReason"] = .string(Self.stopReason(completion))
        o["usage"] = Self.usage(completion)
        o["metrics"] = ["latencyMs": JSONValue(metrics.invocationLatency)]
        return .object(o)
    }

    /// ConverseStream's events as (event type, payload).
    public func events(_ completion: Completion, metrics: InvocationMetrics) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = [("messageStart", ["role": "assistant"])]
        var index: JSONValue = 0
        if let thinking = completion.thinking {
            for piece in CompletionGenerator.pieces(of: thinking.text) {
                out.append(("contentBlockDelta", ["delta": ["reasoningContent": ["text": .string(piece)]], "contentBlockIndex": 0]))
            }
            out.append(("contentBlockDelta", ["delta": ["reasoningContent": ["signature": .string(thinking.signature)]], "contentBlockIndex": 0]))
            out.append(("contentBlockStop", ["contentBlockIndex": 0]))
            index = 1
        }
        if let call = completion.toolCall {
            out.append(("contentBlockStart", ["start": ["toolUse": ["toolUseId": .string(call.id), "name": .string(call.name)]], "contentBlockIndex": index]))
            for piece in AnthropicMessages.jsonPieces(call.input.jsonString) {
                out.append(("contentBlockDelta", ["delta": ["toolUse": ["input": .string(piece)]], "contentBlockIndex": index]))
            }
        } else {
            for piece in CompletionGenerator.pieces(of: completion.text) {
                out.append(("contentBlockDelta", ["delta": ["text": .string(piece)], "contentBlockIndex": index]))
            }
        }
        out.append(("contentBlockStop", ["contentBlockIndex": index]))
        out.append(("messageStop", ["stopReason": .string(Self.stopReason(completion))]))
        out.append(("metadata", ["usage": Self.usage(completion), "metrics": ["latencyMs": JSONValue(metrics.invocationLatency)]]))
        return out
    }
}
