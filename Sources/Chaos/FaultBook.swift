public import Determinism
import JSONCore

/// The live fault rules, their call counters and hit counts. Each rule draws from its own
/// random stream derived from (seed, rule name), so adding a rule never changes another's.
public final class FaultBook: RuleBookOwner {
    /// Per rule: calls matched, faults injected, and its random streams.
    public struct Ledger: RuleLedger {
        var matched: [String: Int] = [:]
        var hits: [String: Int] = [:]
        var streams: [String: SeededRandom] = [:]

        public mutating func ruleReplaced(_ name: String) {
            matched[name] = nil
            streams[name] = nil
            streams["jitter:" + name] = nil
        }

        public mutating func forgetAll() { self = Ledger() }
    }

    private let seed: UInt64
    public let book: RuleBook<FaultRule, Ledger>

    public init(seed: UInt64, configured: [FaultRule] = []) {
        self.seed = seed
        book = RuleBook(configured: configured, ledger: Ledger())
    }

    /// Hits per rule, for `/_understudy/faults/stats`.
    public var stats: [(name: String, matched: Int, hits: Int)] {
        book.withState { s in s.rules.map { ($0.name, s.ledger.matched[$0.name, default: 0], s.ledger.hits[$0.name, default: 0]) } }
    }

    /// The first rule that matches the call and fires now, counting the call.
    public func decide(_ context: FaultContext) -> FaultRule? {
        book.withState { s in
            for rule in s.rules where Self.matches(rule, context) {
                let call = s.ledger.matched[rule.name, default: 0] + 1
                s.ledger.matched[rule.name] = call
                if let calls = rule.calls, !calls.contains(call) { continue }
                if let every = rule.every, call % every != 0 { continue }
                if let attempts = rule.attempts, !attempts.contains(context.attempt ?? 1) { continue }
                if let (start, end) = rule.between, !(start...end).contains(context.nowMillis) { continue }
                if let p = rule.probability {
                    var stream = s.ledger.streams[rule.name] ?? SeededRandom(seed: seed, label: "fault:" + rule.name)
                    let draw = Double(stream.next() >> 11) / Double(1 << 53)
                    s.ledger.streams[rule.name] = stream
                    if draw >= p { continue }
                }
                s.ledger.hits[rule.name, default: 0] += 1
                return rule
            }
            return nil
        }
    }

    /// A latency rule's jitter, in -jitter...jitter, from the rule's own seeded stream (not the
    /// clock), so a run's delays repeat with its seed.
    public func jitter(for rule: FaultRule, upTo jitter: Int) -> Int {
        guard jitter > 0 else { return 0 }
        return book.withState { s in
            let key = "jitter:" + rule.name
            var stream = s.ledger.streams[key] ?? SeededRandom(seed: seed, label: "fault-" + key)
            let draw = stream.next(below: 2 * jitter + 1)
            s.ledger.streams[key] = stream
            return draw - jitter
        }
    }

    static func matches(_ rule: FaultRule, _ c: FaultContext) -> Bool {
        if let service = rule.service, service != c.service { return false }
        if let operation = rule.operation, !operation.matches(c.operation) { return false }
        if let model = rule.model {
            guard let actual = c.model, model.matches(actual) || c.baseModel.map(model.matches) == true else { return false }
        }
        if let account = rule.account, account != c.account { return false }
        if let machine = rule.stateMachine {
            guard let actual = c.stateMachine, machine.matches(actual) else { return false }
        }
        return true
    }
}
