public import Determinism

/// Bedrock's quota accounting over the server clock, per account and region as on AWS (each
/// quota meters every caller scope apart): at the start of a call it reserves
/// input tokens + max_tokens against every matching quota and refuses with a 429 when a limit
/// would be passed; at the end it settles the reservation to input + output × burndown. A call
/// counts against `concurrency` until its simulated latency has run out.
public final class QuotaBook: RuleBookOwner {
    /// One quota's running use: a minute window of one-second slots, a day window of
    /// one-minute slots, and the calls still in flight (until their simulated latency ends).
    struct Meter {
        var minute = SlidingWindow(slots: 60, slotMillis: 1_000)
        var day = SlidingWindow(slots: 1_440, slotMillis: 60_000)
        /// Calls in flight: (ticket id, until when). Short: a call leaves when its latency ends.
        var inFlight: [(id: UInt64, until: Int64)] = []

        mutating func advance(to t: Int64) {
            minute.advance(to: t)
            day.advance(to: t)
            if !inFlight.isEmpty { inFlight.removeAll { $0.until <= t } }
        }

        mutating func setBusy(_ id: UInt64, until: Int64?) {
            inFlight.removeAll { $0.id == id }
            if let until { inFlight.append((id, until)) }
        }

        mutating func add(at t: Int64, requests: Int, tokens: Int) {
            minute.add(at: t, requests: requests, tokens: tokens)
            day.add(at: t, requests: requests, tokens: tokens)
        }
    }

    /// Per rule: each caller scope's meter; and the ids tickets take.
    public struct Ledger: RuleLedger {
        /// Rule name → caller scope (account and region) → its running use.
        var meters: [String: [String: Meter]] = [:]
        var nextId: UInt64 = 0

        public mutating func ruleReplaced(_ name: String) { meters[name] = nil }
        public mutating func ruleRemoved(_ name: String) { meters[name] = nil }
        public mutating func forgetAll() { self = Ledger() }
    }

    /// A reservation to settle when the answer is known.
    public struct Ticket: Sendable {
        fileprivate var id: UInt64
        fileprivate var at: Int64
        fileprivate var scope: String
        fileprivate var reserved: Int
        fileprivate var entries: [(rule: String, burndown: Int)]
    }

    public let book: RuleBook<QuotaRule, Ledger>
    private let now: @Sendable () -> Int64

    public init(configured: [QuotaRule] = [], now: @escaping @Sendable () -> Int64) {
        book = RuleBook(configured: configured, ledger: Ledger())
        self.now = now
    }

    static let tooManyRequests = BedrockErrorCatalog.requestRateThrottle
    static let tooManyTokens = "Too many tokens, please wait before trying again."
    static let tooManyTokensPerDay = "Too many tokens per day, please wait before trying again."

    /// Reserves `reserve` tokens for a call to `model` (the id as sent) from `scope` (the
    /// caller's account and region) or throws the throttle of the first quota it would pass.
    /// No rules, no work.
    public func admit(model: String, scope: String = "", reserve: Int) throws(BedrockError) -> Ticket? {
        let requested = Self.requestedId(model)
        let t = now()
        let outcome: Result<Ticket, BedrockError>? = book.withState { s in
            guard !s.rules.isEmpty else { return nil }
            let matching = s.rules.filter { $0.model.matches(requested) }
            guard !matching.isEmpty else { return nil }
            for rule in matching {
                // Mutated in place: copying a meter would copy its 1,500 slots on every call.
                s.ledger.meters[rule.name, default: [:]][scope, default: Meter()].advance(to: t)
                let meter = s.ledger.meters[rule.name]![scope]!
                var message: String? = nil
                if let limit = rule.concurrency, meter.inFlight.count >= limit {
                    message = Self.tooManyRequests
                } else if let limit = rule.requestsPerMinute, meter.minute.requests >= limit {
                    message = Self.tooManyRequests
                } else if let limit = rule.tokensPerMinute, Self.saturating(meter.minute.tokens, plus: reserve) > limit {
                    message = Self.tooManyTokens
                } else if let limit = rule.tokensPerDay, Self.saturating(meter.day.tokens, plus: reserve) > limit {
                    message = Self.tooManyTokensPerDay
                }
                if let message {
                    var error = BedrockError(code: "ThrottlingException", message: message, status: 429)
                    error.quota = rule.name
                    return .failure(error)
                }
            }
            s.ledger.nextId += 1
            let id = s.ledger.nextId
            for rule in matching {
                s.ledger.meters[rule.name]?[scope]?.add(at: t, requests: 1, tokens: reserve)
                s.ledger.meters[rule.name]?[scope]?.setBusy(id, until: t + 1)
            }
            return .success(Ticket(id: id, at: t, scope: scope, reserved: reserve, entries: matching.map { ($0.name, $0.outputBurndown ?? QuotaRule.defaultBurndown(model: requested)) }))
        }
        switch outcome {
        case nil: return nil
        case .failure(let error): throw error
        case .success(let ticket): return ticket
        }
    }

    /// Settles a reservation to what the call used; it stays in flight for `busyMillis`.
    public func settle(_ ticket: Ticket, inputTokens: Int, outputTokens: Int, busyMillis: Int) {
        book.withState { s in
            for entry in ticket.entries {
                let (burnt, overflow) = max(0, outputTokens).multipliedReportingOverflow(by: entry.burndown)
                let used = Self.saturating(max(0, inputTokens), plus: overflow ? Int.max : burnt)
                s.ledger.meters[entry.rule]?[ticket.scope]?.add(at: ticket.at, requests: 0, tokens: used - ticket.reserved)
                s.ledger.meters[entry.rule]?[ticket.scope]?.setBusy(ticket.id, until: ticket.at + Int64(max(1, busyMillis)))
            }
        }
    }

    /// Gives a reservation back (the call failed before the model ran).
    public func release(_ ticket: Ticket) {
        book.withState { s in
            for entry in ticket.entries {
                s.ledger.meters[entry.rule]?[ticket.scope]?.add(at: ticket.at, requests: -1, tokens: -ticket.reserved)
                s.ledger.meters[entry.rule]?[ticket.scope]?.setBusy(ticket.id, until: nil)
            }
        }
    }

    /// What each quota has used in the last minute and day, all callers together, for
    /// `/_understudy/quotas/usage`.
    public func usage() -> [(name: String, requestsLastMinute: Int, tokensLastMinute: Int, tokensLastDay: Int, inFlight: Int)] {
        let t = now()
        return book.withState { s in
            s.rules.map { rule in
                var requests = 0, minute = 0, day = 0, inFlight = 0
                for scope in (s.ledger.meters[rule.name] ?? [:]).keys {
                    s.ledger.meters[rule.name]?[scope]?.advance(to: t)
                    let meter = s.ledger.meters[rule.name]![scope]!
                    requests += meter.minute.requests
                    minute += meter.minute.tokens
                    day += meter.day.tokens
                    inFlight += meter.inFlight.count
                }
                return (rule.name, requests, minute, day, inFlight)
            }
        }
    }

    /// `a + b`, held at `Int.max`: token counts come from callers and configuration, and a
    /// quota check must never trap the server.
    static func saturating(_ a: Int, plus b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int.max : Int.min) : sum
    }

    /// The id as the caller sent it, ARNs reduced to their last segment.
    static func requestedId(_ model: String) -> String {
        guard model.hasPrefix("arn:"), let slash = model.lastIndex(of: "/") else { return model }
        return String(model[model.index(after: slash)...])
    }
}
