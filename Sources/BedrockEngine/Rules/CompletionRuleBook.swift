import Determinism
import JSONCore
import Locking

/// The live set of canned completion rules, with each rule's call count (for sequences).
/// Shared by every request; changes through the admin API take effect at once.
public final class CompletionRuleBook: Sendable {
    private struct State {
        var rules: [CompletionRule]
        var calls: [String: Int] = [:]
    }

    private let configured: [CompletionRule]
    private let state: Locked<State>

    public init(configured: [CompletionRule] = []) {
        self.configured = configured
        state = Locked(State(rules: configured))
    }

    public var rules: [CompletionRule] { state.withLock { $0.rules } }

    /// Adds a rule, replacing one of the same name in place.
    public func add(_ rule: CompletionRule) {
        state.withLock { s in
            s.rules.replaceOrAppend(rule)
            s.calls[rule.name] = nil
        }
    }

    @discardableResult
    public func remove(named name: String) -> Bool {
        state.withLock { s in
            s.calls[name] = nil
            return s.rules.remove(named: name)
        }
    }

    public func removeAll() { state.withLock { $0 = State(rules: []) } }

    /// Back to the configured rules, with fresh counters.
    public func reset() { state.withLock { $0 = State(rules: configured) } }

    /// The first matching rule's next response, counting the call.
    public func answer(for request: GenerationRequest) -> (rule: CompletionRule, response: CompletionRule.CannedResponse)? {
        state.withLock { s in
            guard let rule = s.rules.first(where: { $0.matches(request) }) else { return nil }
            let call = s.calls[rule.name, default: 0]
            s.calls[rule.name] = call + 1
            return (rule, rule.responses[min(call, rule.responses.count - 1)])
        }
    }
}
