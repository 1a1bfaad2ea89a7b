import Determinism
public import JSONCore

/// Simulated model latency: time to first token plus output tokens at a given rate. Off by
/// default (everything instant). Set per model glob in `bedrock.latency` and per canned rule.
///
/// Both numbers are range-checked where they are accepted (the config and
/// `POST /_understudy/completions`), and the arithmetic on them saturates: a rate of `1e-300`
/// tokens per second or a first token near `Int.max` milliseconds once made the next matching
/// InvokeModel trap and took the server down.
public struct LatencyProfile: Sendable, Equatable {
    public var timeToFirstTokenMs: Int
    public var tokensPerSecond: Double

    /// An hour: the longest wait for a first token, as for a fault's latency.
    public static let maximumTimeToFirstTokenMs = 3_600_000
    /// The slowest rate other than 0 (instant) and the fastest.
    public static let tokensPerSecondRange: ClosedRange<Double> = 0.01...1_000_000
    /// The longest a whole answer is simulated to take: a day.
    public static let maximumSimulatedMs = 86_400_000

    public init(timeToFirstTokenMs: Int, tokensPerSecond: Double) {
        self.timeToFirstTokenMs = timeToFirstTokenMs
        self.tokensPerSecond = tokensPerSecond
    }

    public init(json: JSONValue, context: String) throws(RuleError) {
        guard case .object(let o) = json else { throw RuleError("\(context): latency must be an object") }
        for key in o.keys where !["timeToFirstTokenMs", "tokensPerSecond"].contains(key) {
            throw RuleError("\(context): unknown key '\(key)' in latency")
        }
        timeToFirstTokenMs = 0
        tokensPerSecond = 0
        if let value = o["timeToFirstTokenMs"] {
            guard let ms = value.intValue, (0...Self.maximumTimeToFirstTokenMs).contains(ms) else {
                throw RuleError("\(context): latency.timeToFirstTokenMs must be a whole number from 0 to \(Self.maximumTimeToFirstTokenMs)")
            }
            timeToFirstTokenMs = ms
        }
        if let value = o["tokensPerSecond"] {
            guard let rate = value.doubleValue, rate == 0 || Self.tokensPerSecondRange.contains(rate) else {
                throw RuleError(
                    "\(context): latency.tokensPerSecond must be 0 (instant) or a number from \(Self.tokensPerSecondRange.lowerBound) to \(Int(Self.tokensPerSecondRange.upperBound))")
            }
            tokensPerSecond = rate
        }
    }

    /// Milliseconds to generate `tokens` after the first one (0 tokens/s means instant), at
    /// most `maximumSimulatedMs`: computed in floating point, so no token count can overflow.
    public func generationMs(tokens: Int) -> Int {
        guard tokensPerSecond > 0, tokens > 0 else { return 0 }
        let ms = (Double(tokens) / tokensPerSecond * 1000).rounded()
        guard ms.isFinite, ms < Double(Self.maximumSimulatedMs) else { return Self.maximumSimulatedMs }
        return Int(ms)
    }

    /// When each of `parts` stream events goes out, in milliseconds from the request: the first
    /// at the time to first token, the rest spread evenly until all tokens are out.
    public func offsets(parts: Int, outputTokens: Int) -> [Int] {
        guard parts > 0 else { return [] }
        let first = min(max(0, timeToFirstTokenMs), Self.maximumTimeToFirstTokenMs)
        let total = generationMs(tokens: outputTokens)
        if parts == 1 { return [first + total] }
        // `total` is at most a day of milliseconds, so `total * index` fits for any stream.
        return (0..<parts).map { first + total * $0 / (parts - 1) }
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
