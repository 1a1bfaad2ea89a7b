public import Determinism

/// The live API rate limits: one token bucket per (rule, account, region), full at first,
/// refilled continuously from the clock. A call takes a token from the first matching rule's
/// bucket, or is refused when it is empty.
public final class RateLimitBook: RuleBookOwner {
    struct Bucket {
        var tokens: Double
        var at: Int64
    }

    /// Per rule: each caller scope's bucket, and the calls it refused.
    public struct Ledger: RuleLedger {
        /// Rule name → caller scope (account and region) → its bucket.
        var buckets: [String: [String: Bucket]] = [:]
        var refused: [String: Int] = [:]

        public mutating func ruleReplaced(_ name: String) { buckets[name] = nil }
        public mutating func forgetAll() { self = Ledger() }
    }

    public let book: RuleBook<RateLimitRule, Ledger>

    public init(configured: [RateLimitRule] = []) {
        book = RuleBook(configured: configured, ledger: Ledger())
    }

    /// Takes a token for the call, or answers the rule whose bucket is empty.
    public func refuse(
        service: String, operation: String, stateMachineType: String?, account: String, region: String, nowMillis: Int64
    ) -> RateLimitRule? {
        book.withState { s in
            guard let rule = s.rules.first(where: { $0.matches(service: service, operation: operation, stateMachineType: stateMachineType, region: region) })
            else { return nil }
            let scope = account + "/" + region
            var bucket = s.ledger.buckets[rule.name]?[scope] ?? Bucket(tokens: Double(rule.bucketSize), at: nowMillis)
            let elapsed = Double(max(0, nowMillis - bucket.at)) / 1000
            bucket.tokens = min(Double(rule.bucketSize), bucket.tokens + elapsed * rule.refillPerSecond)
            bucket.at = max(bucket.at, nowMillis)
            defer { s.ledger.buckets[rule.name, default: [:]][scope] = bucket }
            guard bucket.tokens >= 1 else {
                s.ledger.refused[rule.name, default: 0] += 1
                return rule
            }
            bucket.tokens -= 1
            return nil
        }
    }

    /// How many calls each rule has refused since the last reset.
    public func refusals() -> [(name: String, refused: Int)] {
        book.withState { s in s.rules.map { ($0.name, s.ledger.refused[$0.name] ?? 0) } }
    }
}
