public import Determinism
public import JSONCore

/// One Bedrock quota, from the config's `quotas` section or `POST /_understudy/quotas`:
///
/// ```json
/// {"model": "anthropic.claude-3-5-haiku-20241022-v1:0", "tokensPerMinute": 1000}
/// ```
/// `model` is a glob over the id the caller sent (ARNs reduced to their last segment), so a
/// foundation-model id and a cross-region profile (`us.anthropic…`) have separate quotas, as
/// on AWS. Limits: `requestsPerMinute`, `tokensPerMinute`, `tokensPerDay`, `concurrency`;
/// `outputBurndown` is how many quota tokens one output token uses (5 for Claude 3.7 and newer).
public struct QuotaRule: Sendable, NamedRule {
    public var name: String
    public var model: WildcardPattern
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    public var tokensPerDay: Int?
    public var concurrency: Int?
    public var outputBurndown: Int?
    public var source: JSONValue

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(json: JSONValue) throws(Invalid) {
        guard case .object(let o) = json else { throw Invalid(description: "a quota must be an object") }
        let limits = ["requestsPerMinute", "tokensPerMinute", "tokensPerDay", "concurrency"]
        for key in o.keys where !(["name", "model", "outputBurndown"] + limits).contains(key) {
            throw Invalid(description: "unknown key '\(key)' in quota")
        }
        guard let model = o["model"]?.stringValue, !model.isEmpty else { throw Invalid(description: "a quota needs a 'model' (id or glob)") }
        self.model = WildcardPattern(model)
        name = o["name"]?.stringValue ?? model
        for key in limits + ["outputBurndown"] {
            let maximum = Self.maximum(key)
            if let value = o[key], !(1...maximum).contains(value.intValue ?? 0) {
                throw Invalid(description: "quota '\(name)': \(key) must be a whole number from 1 to \(maximum)")
            }
        }
        guard limits.contains(where: { o[$0] != nil }) else {
            throw Invalid(description: "quota '\(name)' needs at least one of \(limits.joined(separator: ", "))")
        }
        requestsPerMinute = o["requestsPerMinute"]?.intValue
        tokensPerMinute = o["tokensPerMinute"]?.intValue
        tokensPerDay = o["tokensPerDay"]?.intValue
        concurrency = o["concurrency"]?.intValue
        outputBurndown = o["outputBurndown"]?.intValue
        source = json
    }

    /// A tokens-per-minute quota on one model id, with the default day limit (TPM × 24 × 60).
    public init(name: String, model: String, tokensPerMinute: Int) {
        self.name = name
        self.model = WildcardPattern(model)
        self.tokensPerMinute = tokensPerMinute
        // A configured model's huge TPM must not overflow the day limit.
        let (perDay, overflow) = tokensPerMinute.multipliedReportingOverflow(by: 24 * 60)
        tokensPerDay = overflow ? Int.max : perDay
        var o = JSONObject()
        o["name"] = .string(name)
        o["model"] = .string(model)
        o["tokensPerMinute"] = JSONValue(tokensPerMinute)
        o["tokensPerDay"] = JSONValue(tokensPerDay!)
        source = .object(o)
    }

    /// The largest value each limit takes: token counts far past any real quota yet small
    /// enough that adding a call's tokens cannot overflow; a burndown like AWS's (1 or 5).
    static func maximum(_ key: String) -> Int {
        switch key {
        case "outputBurndown": return 100
        case "concurrency", "requestsPerMinute": return 1_000_000_000
        default: return 1_000_000_000_000_000
        }
    }

    static let fiveTimesBurndown = ["*claude-3-7*", "*claude-sonnet-4*", "*claude-opus-4*", "*claude-haiku-4*"].map(WildcardPattern.init)

    /// Claude 3.7 and newer burn five quota tokens per output token (Bedrock's token burndown).
    static func defaultBurndown(model: String) -> Int {
        fiveTimesBurndown.contains { $0.matches(model) } ? 5 : 1
    }
}
