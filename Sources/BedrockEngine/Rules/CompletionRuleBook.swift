public import Determinism
import JSONCore

/// The live set of canned completion rules, with each rule's call count (for sequences).
/// Shared by every request; changes through the admin API take effect at once.
public final class CompletionRuleBook: RuleBookOwner {
    /// Calls answered per rule (a sequence's next response).
    public struct Ledger: RuleLedger {
        var calls: [String: Int] = [:]

        public mutating func ruleReplaced(_ name: String) { calls[name] = nil }
        public mutating func ruleRemoved(_ name: String) { calls[name] = nil }
        public mutating func forgetAll() { calls = [:] }
    }

    public let book: RuleBook<CompletionRule, Ledger>

    public init(configured: [CompletionRule] = []) {
        book = RuleBook(configured: configured, ledger: Ledger())
    }

    /// The first matching rule's next response, counting the call.
    public func answer(for request: GenerationRequest) -> (rule: CompletionRule, response: CompletionRule.CannedResponse)? {
        book.withState { s in
            guard let rule = s.rules.first(where: { $0.matches(request) }) else { return nil }
            let call = s.ledger.calls[rule.name, default: 0]
            s.ledger.calls[rule.name] = call + 1
            return (rule, rule.responses[min(call, rule.responses.count - 1)])
        }
    }
}
