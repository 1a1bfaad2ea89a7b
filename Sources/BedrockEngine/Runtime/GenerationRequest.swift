public import Determinism
public import JSONCore


/// What every model family's request comes down to for the generator.
public struct GenerationRequest: Sendable {
    public var model: FoundationModel
    /// Everything the model reads, for input-token counting.
    public var inputText: String
    /// What the answer should be about (usually the last user turn).
    public var topicText: String
    public var maxTokens: Int
    public var stopSequences: [String]
    /// A stable digest of the request body, so the same request gives the same answer.
    public var digest: UInt64
    /// Fixed token overhead the family adds to the input count (role markers, formatting).
    public var inputOverhead = 0
    /// Tools offered, and whether one must be called.
    public var tools: [ToolSpec] = []
    public var toolChoice = ToolChoice.auto
    /// The last user turn carries tool results: the loop wants a text answer now.
    public var answersToolResult = false
    /// The system prompt, when the format has one (canned rules can match on it).
    public var systemText = ""
    /// Extended thinking budget, when the request turns thinking on.
    public var thinkingBudget: Int? = nil
    /// The body used a chat shape where the family has two (Mistral `messages` vs `prompt`).
    public var chatShape = false
    /// How this API spells tool-use ids (`toolu_bdrk_01…` natively, `tooluse_…` in Converse).
    public var toolUseIdPrefix = "toolu_bdrk_01"

    public init(model: FoundationModel, inputText: String, topicText: String, maxTokens: Int, stopSequences: [String], digest: UInt64) {
        self.model = model
        self.inputText = inputText
        self.topicText = topicText
        self.maxTokens = maxTokens
        self.stopSequences = stopSequences
        self.digest = digest
    }

    public var inputTokens: Int { TokenCounter.count(inputText) + inputOverhead }
}

public struct ToolSpec: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var inputSchema: JSONValue

    public init(name: String, description: String?, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

public enum ToolChoice: Sendable, Equatable {
    case auto
    case any
    case tool(String)
    case none
}

/// A tool call the model makes instead of (or after) text.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var input: JSONValue
}

public enum StopReason: Sendable, Equatable {
    case endTurn
    case maxTokens
    case stopSequence(String)
    case toolUse
}

/// A generated answer before any family wraps it.
public struct Completion: Sendable, Equatable {
    public init(text: String, stopReason: StopReason, inputTokens: Int, outputTokens: Int, toolCall: ToolCall? = nil) {
        self.text = text
        self.stopReason = stopReason
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.toolCall = toolCall
    }

    public var text: String
    public var stopReason: StopReason
    public var inputTokens: Int
    public var outputTokens: Int
    public var toolCall: ToolCall? = nil
    /// Extended thinking that preceded the answer, with its signature.
    public var thinking: (text: String, signature: String)? = nil

    public static func == (a: Completion, b: Completion) -> Bool {
        a.text == b.text && a.stopReason == b.stopReason && a.inputTokens == b.inputTokens && a.outputTokens == b.outputTokens
            && a.toolCall == b.toolCall && a.thinking?.text == b.thinking?.text && a.thinking?.signature == b.thinking?.signature
    }
}

/// Canonical form of a request body for hashing: members sorted by key at every level, so the
/// order a client writes them in never changes the answer.
public enum RequestDigest {
    public static func of(_ value: JSONValue, model: String) -> UInt64 {
        var hash = StableHash()
        hash.combine(model)
        hash.combine(canonical(value).jsonBytes)
        return hash.value
    }

    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var sorted = JSONObject(minimumCapacity: object.count)
            for member in object.storage.sorted(by: { $0.key < $1.key }) { sorted[member.key] = canonical(member.value) }
            return .object(sorted)
        case .array(let array): return .array(array.map(canonical))
        default: return value
        }
    }
}

/// Produces completions: a pure function of (seed, model, request body).
public struct CompletionGenerator: Sendable {
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    public func random(for request: GenerationRequest, purpose: String = "completion") -> SeededRandom {
        SeededRandom(seed: seed ^ request.digest, label: "\(purpose):\(request.model.modelId)")
    }

    public func complete(_ request: GenerationRequest) -> Completion {
        if let tool = forcedTool(request) {
            var random = random(for: request, purpose: "tool")
            let id = GeneratedID.make(prefix: request.toolUseIdPrefix, length: 22, random: &random)
            var generator = SchemaInstanceGenerator(random: random, words: TextGenerator.topics(of: request.topicText))
            let input = generator.instance(of: tool.inputSchema)
            return Completion(
                text: "", stopReason: .toolUse, inputTokens: request.inputTokens,
                outputTokens: TokenCounter.count(input.jsonString) + 8, toolCall: ToolCall(id: id, name: tool.name, input: input))
        }
        var random = random(for: request)
        let target = 16 + random.next(below: 140)
        var text = TextGenerator.generate(prompt: request.topicText, targetTokens: target, random: &random)
        var reason = StopReason.endTurn
        // The earliest stop sequence wins; the text ends just before it.
        var cut: (String.Index, String)? = nil
        for stop in request.stopSequences where !stop.isEmpty {
            if let range = text.range(of: stop), cut == nil || range.lowerBound < cut!.0 { cut = (range.lowerBound, stop) }
        }
        if let (index, stop) = cut {
            text = String(text[..<index])
            reason = .stopSequence(stop)
        }
        if TokenCounter.count(text) > request.maxTokens {
            text = TokenCounter.prefix(text, tokens: request.maxTokens)
            reason = .maxTokens
        }
        var completion = Completion(text: text, stopReason: reason, inputTokens: request.inputTokens, outputTokens: TokenCounter.count(text))
        addThinking(to: &completion, request)
        return completion
    }

    /// Extended thinking: reasoning text within the budget, before the answer, with a signature
    /// (an opaque base64 string, as the real models send). Its tokens count as output.
    public func addThinking(to completion: inout Completion, _ request: GenerationRequest) {
        guard let budget = request.thinkingBudget else { return }
        var random = random(for: request, purpose: "thinking")
        let target = min(budget, 30 + random.next(below: 90))
        var reasoning = "Let me think about this step by step. " + TextGenerator.generate(prompt: request.topicText, targetTokens: target, random: &random)
        reasoning = TokenCounter.prefix(reasoning, tokens: budget)
        let signature = Base64.encode(random.bytes(48))
        completion.thinking = (reasoning, signature)
        completion.outputTokens += TokenCounter.count(reasoning)
    }

    /// The tool a request makes the model call, unless the turn already answers a tool result:
    /// `tool_choice` forcing one (by name, or `any`), or, with `auto`, a tool the last user turn
    /// names (`get_weather` or "get weather"), the way a real model reaches for the tool it is
    /// asked to use. That is what lets agent loops (Strands, LangChain) run to the end.
    func forcedTool(_ request: GenerationRequest) -> ToolSpec? {
        guard !request.tools.isEmpty, !request.answersToolResult else { return nil }
        switch request.toolChoice {
        case .tool(let name): return request.tools.first { $0.name == name }
        case .any:
            var random = random(for: request, purpose: "tool-choice")
            return request.tools[random.next(below: request.tools.count)]
        case .auto:
            let asked = request.topicText.lowercased()
            return request.tools.first { tool in
                let name = tool.name.lowercased()
                return asked.contains(name) || asked.contains(name.replacingUnderscores())
            }
        case .none: return nil
        }
    }

    /// Splits text into stream pieces of a few words each; they concatenate to `text` exactly.
    public static func pieces(of text: String, wordsPerPiece: Int = 3) -> [String] {
        var pieces: [String] = []
        var current = ""
        var words = 0
        var previousWasSpace = true
        for ch in text {
            let isSpace = ch == " " || ch == "\n"
            if isSpace, !previousWasSpace {
                words += 1
                if words == wordsPerPiece {
                    pieces.append(current)
                    current = ""
                    words = 0
                }
            }
            current.append(ch)
            previousWasSpace = isSpace
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

extension String {
    /// First occurrence of `needle`, compared as UTF-8 bytes (the stdlib's generic search works
    /// on Characters and is slow on the request path).
    func range(of needle: String) -> Range<String.Index>? {
        let hay = utf8, pin = needle.utf8
        guard let first = pin.first, pin.count <= hay.count else { return pin.isEmpty ? startIndex..<startIndex : nil }
        var i = hay.startIndex
        while let start = hay[i...].firstIndex(of: first) {
            var h = start, p = pin.startIndex
            while p != pin.endIndex, h != hay.endIndex, hay[h] == pin[p] {
                h = hay.index(after: h)
                p = pin.index(after: p)
            }
            if p == pin.endIndex { return start..<h }
            guard h != hay.endIndex else { return nil }
            i = hay.index(after: start)
        }
        return nil
    }

    func contains(bytes needle: String) -> Bool { range(of: needle) != nil }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
