import Determinism
import JSONCore

/// Simulated model latency: time to first token plus output tokens at a given rate. Off by
/// default (everything instant). Set per model glob in `bedrock.latency` and per canned rule.
public struct LatencyProfile: Sendable, Equatable {
    public var timeToFirstTokenMs: Int
    public var tokensPerSecond: Double

    public init(timeToFirstTokenMs: Int, tokensPerSecond: Double) {
        self.timeToFirstTokenMs = timeToFirstTokenMs
        self.tokensPerSecond = tokensPerSecond
    }

    public init(json: JSONValue, context: String) throws(RuleError) {
        guard case .object(let o) = json else { throw RuleError("\(context): latency must be an object") }
        for key in o.keys where !["timeToFirstTokenMs", "tokensPerSecond"].contains(key) {
            throw RuleError("\(context): unknown key '\(key)' in latency")
        }
        timeToFirstTokenMs = o["timeToFirstTokenMs"]?.intValue ?? 0
        tokensPerSecond = o["tokensPerSecond"]?.doubleValue ?? 0
        guard timeToFirstTokenMs >= 0, tokensPerSecond >= 0 else { throw RuleError("\(context): latency values must not be negative") }
    }

    /// Milliseconds to generate `tokens` after the first one (0 tokens/s means instant).
    public func generationMs(tokens: Int) -> Int {
        tokensPerSecond > 0 ? Int((Double(tokens) / tokensPerSecond * 1000).rounded()) : 0
    }

    /// When each of `parts` stream events goes out, in milliseconds from the request: the first
    /// at the time to first token, the rest spread evenly until all tokens are out.
    public func offsets(parts: Int, outputTokens: Int) -> [Int] {
        guard parts > 0 else { return [] }
        let total = generationMs(tokens: outputTokens)
        if parts == 1 { return [timeToFirstTokenMs + total] }
        return (0..<parts).map { timeToFirstTokenMs + total * $0 / (parts - 1) }
    }
}

/// The configured latency profiles: the first whose model glob matches applies.
public struct LatencyModel: Sendable {
    public var byModel: [(glob: String, profile: LatencyProfile)]

    public init(byModel: [(glob: String, profile: LatencyProfile)] = []) { self.byModel = byModel }

    public func profile(for modelId: String) -> LatencyProfile? {
        byModel.first { WildcardMatch.matches($0.glob, modelId) }?.profile
    }
}
