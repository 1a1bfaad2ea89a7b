import BoundedRegex
public import Determinism
public import JSONCore

/// A canned answer for matching requests: first matching rule wins. From the config's
/// `bedrock.completions` or `POST /_understudy/completions`:
///
/// ```json
/// {"name": "weather",
///  "match": {"model": "anthropic.*", "prompt": {"contains": "weather"}, "system": {"regex": "terse"},
///            "tools": ["get_weather"]},
///  "response": {"text": "Sunny.", "stopReason": "end_turn", "usage": {"inputTokens": 12, "outputTokens": 3}}}
/// ```
/// A response is `text` (with optional `stopReason`, `usage`), `toolUse` (`name`, `input`), or
/// `error` (`code`, optional `message`); `responses` (a list) answers in sequence, the last
/// repeating.
public struct CompletionRule: Sendable, NamedRule {
    public var name: String
    public var modelGlob: String?
    public var prompt: TextMatcher?
    public var system: TextMatcher?
    public var tools: [String]
    public var responses: [CannedResponse]
    /// The rule as given, for listing it back.
    public var source: JSONValue
    /// Latency for the answers this rule gives (overrides the model's).
    public var latency: LatencyProfile?

    public enum CannedResponse: Sendable {
        case text(String, stopReason: String?, inputTokens: Int?, outputTokens: Int?)
        case toolUse(name: String, input: JSONValue)
        case error(BedrockError)
    }

    public init(json: JSONValue) throws(RuleError) {
        guard case .object(let o) = json else { throw RuleError("a completion rule must be an object") }
        for key in o.keys where !["name", "match", "response", "responses", "latency"].contains(key) {
            throw RuleError("unknown key '\(key)' in completion rule")
        }
        guard let name = o["name"]?.stringValue, !name.isEmpty else { throw RuleError("a completion rule needs a 'name'") }
        self.name = name
        source = json
        tools = []
        let match = o["match"]?.objectValue ?? JSONObject()
        for key in match.keys where !["model", "prompt", "system", "tools"].contains(key) {
            throw RuleError("unknown key 'match.\(key)' in rule '\(name)'")
        }
        modelGlob = match["model"]?.stringValue
        prompt = try match["prompt"].map { value throws(RuleError) in try TextMatcher(value, rule: name) }
        system = try match["system"].map { value throws(RuleError) in try TextMatcher(value, rule: name) }
        tools = (match["tools"]?.arrayValue ?? []).compactMap(\.stringValue)
        var list: [JSONValue] = []
        if let one = o["response"] { list.append(one) }
        list += o["responses"]?.arrayValue ?? []
        guard !list.isEmpty else { throw RuleError("rule '\(name)' needs a 'response' or 'responses'") }
        latency = try o["latency"].map { value throws(RuleError) in try LatencyProfile(json: value, context: "rule '\(name)'") }
        responses = []
        for item in list { responses.append(try Self.response(item, rule: name)) }
    }

    static func response(_ value: JSONValue, rule: String) throws(RuleError) -> CannedResponse {
        guard case .object(let r) = value else { throw RuleError("responses of rule '\(rule)' must be objects") }
        if let text = r["text"]?.stringValue {
            let stop = r["stopReason"]?.stringValue
            if let stop, !["end_turn", "max_tokens", "stop_sequence", "tool_use"].contains(stop) {
                throw RuleError("rule '\(rule)': stopReason must be end_turn, max_tokens, stop_sequence or tool_use")
            }
            return .text(
                text, stopReason: stop, inputTokens: try tokenCount(r["usage"]?["inputTokens"], "usage.inputTokens", rule: rule),
                outputTokens: try tokenCount(r["usage"]?["outputTokens"], "usage.outputTokens", rule: rule))
        }
        if let tool = r["toolUse"] {
            guard let name = tool["name"]?.stringValue else { throw RuleError("rule '\(rule)': toolUse needs a 'name'") }
            return .toolUse(name: name, input: tool["input"] ?? [:])
        }
        if let error = r["error"] {
            let code = error["code"]?.stringValue ?? ""
            guard let made = BedrockErrorCatalog.error(code: code, message: error["message"]?.stringValue) else {
                throw RuleError("rule '\(rule)': unknown error code '\(code)' (one of \(BedrockErrorCatalog.entries.keys.sorted().joined(separator: ", ")))")
            }
            return .error(made)
        }
        throw RuleError("rule '\(rule)': a response needs 'text', 'toolUse' or 'error'")
    }

    /// The most tokens a canned usage may claim: far past any context window, and small enough
    /// that quota and latency arithmetic on it cannot overflow.
    public static let maximumTokens = 10_000_000

    static func tokenCount(_ value: JSONValue?, _ key: String, rule: String) throws(RuleError) -> Int? {
        guard let value else { return nil }
        guard let count = value.intValue, (0...maximumTokens).contains(count) else {
            throw RuleError("rule '\(rule)': \(key) must be a whole number from 0 to \(maximumTokens)")
        }
        return count
    }

    public func matches(_ request: GenerationRequest) -> Bool {
        if let glob = modelGlob, !WildcardMatch.matches(glob, request.model.modelId) { return false }
        if let prompt, !prompt.matches(request.topicText) { return false }
        if let system, !system.matches(request.systemText) { return false }
        let offered = Set(request.tools.map(\.name))
        return tools.allSatisfy { offered.contains($0) }
    }
}

public struct RuleError: Error, Sendable, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `"text"` or `{"contains": "text"}` or `{"regex": "pattern"}`. A regex is JavaScript's
/// syntax (as in JSONata), searched anywhere in the text, compiled when the rule loads: an
/// invalid one refuses the rule.
///
/// Rules are matched on the request path, on the event loop, so each regex match runs under a
/// small `BoundedRegex` budget (`matchSteps`, 250,000 steps): an ordinary pattern scans a prompt
/// of 40 KB or more with it (one to six steps a character), while a catastrophic pattern
/// (`^(a+)+$` against a prompt of `a`s and a `!`) holds the loop for that much per request at
/// most, a few milliseconds optimized and about 50 ms in a debug build. A match that runs out
/// of budget counts as no match, so the request falls through to the next rule or the
/// generator. It is not logged: the engine has no logger, and every such request would repeat
/// it.
public struct TextMatcher: Sendable {
    let contains: String?
    let regex: BoundedRegex?

    /// The steps one regex match of a rule may take.
    static let matchSteps = 250_000

    init(_ value: JSONValue, rule: String) throws(RuleError) {
        if let text = value.stringValue {
            contains = text
            regex = nil
        } else if let text = value["contains"]?.stringValue {
            contains = text
            regex = nil
        } else if let pattern = value["regex"]?.stringValue {
            do { regex = try BoundedRegex(pattern) } catch {
                throw RuleError("rule '\(rule)': invalid regex '\(pattern)': \(error.message)")
            }
            contains = nil
        } else {
            throw RuleError("rule '\(rule)': a text match is a string, {\"contains\": …} or {\"regex\": …}")
        }
    }

    func matches(_ text: String) -> Bool {
        if let contains { return text.contains(bytes: contains) }
        guard let regex else { return false }
        var budget = RegexBudget(steps: Self.matchSteps)
        return (try? regex.matches(text, budget: &budget)) ?? false
    }
}
