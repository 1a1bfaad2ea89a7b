import Locking

/// What a rule book keeps beside its rules, by rule name: call counters, random streams,
/// token buckets, quota meters. Replacing or removing a rule tells the ledger, which forgets
/// what must start again.
public protocol RuleLedger: Sendable {
    /// A rule of this name was added or replaced.
    mutating func ruleReplaced(_ name: String)
    /// A rule of this name was removed.
    mutating func ruleRemoved(_ name: String)
    /// Everything is forgotten (the book was reset or emptied).
    mutating func forgetAll()
}

extension RuleLedger {
    public mutating func ruleRemoved(_ name: String) {}
}

/// Live rules in match order and their ledger, under one lock: the one store behind canned
/// completions, fault rules, rate limits and quotas. The admin API adds (replacing by name, in
/// place, so the match order is kept), removes and resets while calls read the rules; each
/// kind of rule adds its own matching on top through `withState`.
public final class RuleBook<Rule: NamedRule & Sendable, Ledger: RuleLedger>: Sendable {
    public struct State: Sendable {
        public var rules: [Rule]
        public var ledger: Ledger
    }

    /// The rules the configuration gave, which `reset` returns to.
    public let configured: [Rule]
    private let state: Locked<State>

    public init(configured: [Rule], ledger: Ledger) {
        self.configured = configured
        state = Locked(State(rules: configured, ledger: ledger))
    }

    public var rules: [Rule] { state.withLock { $0.rules } }
    public var isEmpty: Bool { state.withLock { $0.rules.isEmpty } }

    public func add(_ rule: Rule) {
        state.withLock { s in
            s.rules.replaceOrAppend(rule)
            s.ledger.ruleReplaced(rule.name)
        }
    }

    /// Whether a rule of that name was there.
    @discardableResult
    public func remove(named name: String) -> Bool {
        state.withLock { s in
            s.ledger.ruleRemoved(name)
            return s.rules.remove(named: name)
        }
    }

    public func removeAll() { reset(to: []) }

    /// Back to the configured rules, with nothing counted.
    public func reset() { reset(to: configured) }

    private func reset(to rules: [Rule]) {
        state.withLock { s in
            s.rules = rules
            s.ledger.forgetAll()
        }
    }

    /// Reads or changes rules and ledger together under the lock; keep it short.
    public func withState<Result: Sendable, E: Error>(_ body: (inout State) throws(E) -> Result) throws(E) -> Result {
        try state.withLock { s throws(E) -> Result in try body(&s) }
    }
}

/// A type whose rules live in a `RuleBook`: it gets the book's rule operations as its own.
public protocol RuleBookOwner: Sendable {
    associatedtype Rule: NamedRule & Sendable
    associatedtype Ledger: RuleLedger
    var book: RuleBook<Rule, Ledger> { get }
}

extension RuleBookOwner {
    public var rules: [Rule] { book.rules }
    public var isEmpty: Bool { book.isEmpty }
    public func add(_ rule: Rule) { book.add(rule) }
    @discardableResult
    public func remove(named name: String) -> Bool { book.remove(named: name) }
    public func removeAll() { book.removeAll() }
    public func reset() { book.reset() }
}
