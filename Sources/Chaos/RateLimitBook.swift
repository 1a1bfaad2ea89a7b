import Determinism
import Locking

/// The live API rate limits: one token bucket per (rule, account, region), full at first,
/// refilled continuously from the clock. A call takes a token from the first matching rule's
/// bucket, or is refused when it is empty.
public final class RateLimitBook: Sendable {
    private struct Bucket {
        var tokens: Double
        var at: Int64
    }

    private struct State {
        var rules: [RateLimitRule]
        /// Rule name → caller scope (account and region) → its bucket.
        var buckets: [String: [String: Bucket]] = [:]
        var refused: [String: Int] = [:]
    }

    private let configured: [RateLimitRule]
    private let state: Locked<State>

    public init(configured: [RateLimitRule] = []) {
        self.configured = configured
        state = Locked(State(rules: configured))
    }

    public var rules: [RateLimitRule] { state.withLock { $0.rules } }
    public var isEmpty: Bool { state.withLock { $0.rules.isEmpty } }

    public func add(_ rule: RateLimitRule) {
        state.withLock { s in
            s.rules.replaceOrAppend(rule)
            s.buckets[rule.name] = nil
        }
    }

    @discardableResult
    public func remove(named name: String) -> Bool {
        state.withLock { s in s.rules.remove(named: name) }
    }

    public func removeAll() { state.withLock { $0 = State(rules: []) } }
    public func reset() { state.withLock { $0 = State(rules: configured) } }

    /// Takes a token for the call, or answers the rule whose bucket is empty.
    public func refuse(
        service: String, operation: String, stateMachineType: String?, account: String, region: String, nowMillis: Int64
    ) -> RateLimitRule? {
        state.withLock { s in
            guard let rule = s.rules.first(where: { $0.matches(service: service, operation: operation, stateMachineType: stateMachineType, region: region) })
            else { return nil }
            let scope = account + "/" + region
            var bucket = s.buckets[rule.name]?[scope] ?? Bucket(tokens: Double(rule.bucketSize), at: nowMillis)
            let elapsed = Double(max(0, nowMillis - bucket.at)) / 1000
            bucket.tokens = min(Double(rule.bucketSize), bucket.tokens + elapsed * rule.refillPerSecond)
            bucket.at = max(bucket.at, nowMillis)
            defer { s.buckets[rule.name, default: [:]][scope] = bucket }
            guard bucket.tokens >= 1 else {
                s.refused[rule.name, default: 0] += 1
                return rule
            }
            bucket.tokens -= 1
            return nil
        }
    }

    /// How many calls each rule has refused since the last reset.
    public func refusals() -> [(name: String, refused: Int)] {
        state.withLock { s in s.rules.map { ($0.name, s.refused[$0.name] ?? 0) } }
    }
}
