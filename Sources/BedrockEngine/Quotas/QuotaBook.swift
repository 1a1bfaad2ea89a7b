import Determinism
import Synchronization

/// Bedrock's quota accounting over the server clock: at the start of a call it reserves
/// input tokens + max_tokens against every matching quota and refuses with a 429 when a limit
/// would be passed; at the end it settles the reservation to input + output × burndown. A call
/// counts against `concurrency` until its simulated latency has run out.
public final class QuotaBook: Sendable {
    private struct Usage {
        var id: UInt64
        var at: Int64
        var tokens: Int
        var busyUntil: Int64
    }

    private struct State {
        var rules: [QuotaRule]
        var usage: [String: [Usage]] = [:]
        var nextId: UInt64 = 0
    }

    /// A reservation to settle when the answer is known.
    public struct Ticket: Sendable {
        fileprivate var id: UInt64
        fileprivate var entries: [(rule: String, burndown: Int, at: Int64)]
    }

    private let configured: [QuotaRule]
    private let state: Mutex<State>
    private let now: @Sendable () -> Int64

    public init(configured: [QuotaRule] = [], now: @escaping @Sendable () -> Int64) {
        self.configured = configured
        self.now = now
        state = Mutex(State(rules: configured))
    }

    public var rules: [QuotaRule] { state.withLock { $0.rules } }

    public func add(_ rule: QuotaRule) {
        state.withLock { s in
            s.rules.replaceOrAppend(rule)
            s.usage[rule.name] = nil
        }
    }

    @discardableResult
    public func remove(named name: String) -> Bool {
        state.withLock { s in
            s.usage[name] = nil
            return s.rules.remove(named: name)
        }
    }

    public func removeAll() { state.withLock { $0 = State(rules: []) } }
    public func reset() { state.withLock { $0 = State(rules: configured) } }

    static let tooManyRequests = "Too many requests, please wait before trying again. You have sent too many requests.  Wait before trying again."
    static let tooManyTokens = "Too many tokens, please wait before trying again."
    static let tooManyTokensPerDay = "Too many tokens per day, please wait before trying again."

    /// Reserves `reserve` tokens for a call to `model` (the id as sent) or throws the throttle
    /// of the first quota it would pass. No rules, no work.
    public func admit(model: String, reserve: Int) throws(BedrockError) -> Ticket? {
        let requested = Self.requestedId(model)
        let t = now()
        let outcome: Result<UInt64, BedrockError>? = state.withLock { s in
            guard !s.rules.isEmpty else { return nil }
            let matching = s.rules.filter { WildcardMatch.matches($0.model, requested) }
            for rule in matching {
                var log = s.usage[rule.name] ?? []
                log.removeAll { $0.at <= t - 86_400_000 && $0.busyUntil <= t }
                s.usage[rule.name] = log
                let minute = log.filter { $0.at > t - 60_000 }
                var message: String? = nil
                if let limit = rule.concurrency, log.count(where: { $0.busyUntil > t }) >= limit {
                    message = Self.tooManyRequests
                } else if let limit = rule.requestsPerMinute, minute.count >= limit {
                    message = Self.tooManyRequests
                } else if let limit = rule.tokensPerMinute, minute.reduce(0, { $0 + $1.tokens }) + reserve > limit {
                    message = Self.tooManyTokens
                } else if let limit = rule.tokensPerDay, log.reduce(0, { $0 + $1.tokens }) + reserve > limit {
                    message = Self.tooManyTokensPerDay
                }
                if let message {
                    var error = BedrockError(code: "ThrottlingException", message: message, status: 429)
                    error.quota = rule.name
                    return .failure(error)
                }
            }
            guard !matching.isEmpty else { return nil }
            s.nextId += 1
            for rule in matching { s.usage[rule.name, default: []].append(Usage(id: s.nextId, at: t, tokens: reserve, busyUntil: t + 1)) }
            return .success(s.nextId)
        }
        switch outcome {
        case nil: return nil
        case .failure(let error): throw error
        case .success(let id):
            let matching = rules.filter { WildcardMatch.matches($0.model, requested) }
            return Ticket(id: id, entries: matching.map { ($0.name, $0.outputBurndown ?? QuotaRule.defaultBurndown(model: requested), t) })
        }
    }

    /// Settles a reservation to what the call used; it stays in flight for `busyMillis`.
    public func settle(_ ticket: Ticket, inputTokens: Int, outputTokens: Int, busyMillis: Int) {
        state.withLock { s in
            for entry in ticket.entries {
                guard var log = s.usage[entry.rule], let i = log.lastIndex(where: { $0.id == ticket.id }) else { continue }
                log[i].tokens = inputTokens + outputTokens * entry.burndown
                log[i].busyUntil = entry.at + Int64(max(1, busyMillis))
                s.usage[entry.rule] = log
            }
        }
    }

    /// Gives a reservation back (the call failed before the model ran).
    public func release(_ ticket: Ticket) {
        state.withLock { s in
            for entry in ticket.entries {
                guard var log = s.usage[entry.rule], let i = log.lastIndex(where: { $0.id == ticket.id }) else { continue }
                log.remove(at: i)
                s.usage[entry.rule] = log
            }
        }
    }

    /// What each quota has used in the last minute and day, for `/_understudy/quotas`.
    public func usage() -> [(name: String, requestsLastMinute: Int, tokensLastMinute: Int, tokensLastDay: Int, inFlight: Int)] {
        let t = now()
        return state.withLock { s in
            s.rules.map { rule in
                let log = (s.usage[rule.name] ?? []).filter { $0.at > t - 86_400_000 || $0.busyUntil > t }
                let minute = log.filter { $0.at > t - 60_000 }
                return (rule.name, minute.count, minute.reduce(0) { $0 + $1.tokens }, log.reduce(0) { $0 + $1.tokens }, log.count { $0.busyUntil > t })
            }
        }
    }

    /// The id as the caller sent it, ARNs reduced to their last segment.
    static func requestedId(_ model: String) -> String {
        guard model.hasPrefix("arn:"), let slash = model.lastIndex(of: "/") else { return model }
        return String(model[model.index(after: slash)...])
    }
}
