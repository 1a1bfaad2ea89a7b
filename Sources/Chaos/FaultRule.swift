public import Determinism
public import JSONCore

/// One fault rule, from the config's `faults` section or `POST /_understudy/faults`:
///
/// ```json
/// {"name": "throttle-twice",
///  "match": {"service": "bedrock-runtime", "operation": "InvokeModel", "model": "anthropic.*"},
///  "when": {"attempts": [1, 2]},
///  "error": {"code": "ThrottlingException"}}
/// ```
/// `match` also takes `account` and `stateMachine`; `when` takes `probability` (seeded per
/// rule), `calls` (the nth matching calls), `every` (every kth), `attempts` (the SDK attempt
/// from `amz-sdk-request`) and `between` (`{"start": ISO, "end": ISO}`). The fault is one of
/// `error`, `latency`, `connection` or `stream`.
public struct FaultRule: Sendable, NamedRule {
    public var name: String
    public var service: String?
    public var operation: WildcardPattern?
    public var model: WildcardPattern?
    public var account: String?
    public var stateMachine: WildcardPattern?
    public var probability: Double?
    public var calls: Set<Int>?
    public var every: Int?
    public var attempts: Set<Int>?
    public var between: (start: Int64, end: Int64)?
    public var fault: Fault
    public var source: JSONValue

    public enum Fault: Sendable, Equatable {
        /// A modelled error of the operation; message and status default to the service's own.
        case error(code: String, message: String?, status: Int?, retryAfterMillis: Int?)
        case latency(milliseconds: Int, jitterMilliseconds: Int)
        case connection(ConnectionFault)
        /// After `afterEvents` stream events: an in-stream exception, or a broken frame.
        case stream(afterEvents: Int, StreamFault)
    }

    public enum ConnectionFault: String, Sendable, Equatable {
        /// A TCP reset before the status line.
        case reset
        /// The connection closes halfway through the body.
        case close
        /// Nothing is ever sent.
        case stall
    }

    public enum StreamFault: Sendable, Equatable {
        case exception(code: String, message: String?)
        case truncate
        case corruptCRC
        case stall
    }

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(json: JSONValue, parseTimestamp: (String) -> Int64?) throws(Invalid) {
        guard case .object(let o) = json else { throw Invalid(description: "a fault rule must be an object") }
        for key in o.keys where !["name", "match", "when", "error", "latency", "connection", "stream"].contains(key) {
            throw Invalid(description: "unknown key '\(key)' in fault rule")
        }
        guard let name = o["name"]?.stringValue, !name.isEmpty else { throw Invalid(description: "a fault rule needs a 'name'") }
        self.name = name
        source = json
        let match = o["match"]?.objectValue ?? JSONObject()
        for key in match.keys where !["service", "operation", "model", "account", "stateMachine"].contains(key) {
            throw Invalid(description: "unknown key 'match.\(key)' in fault rule '\(name)'")
        }
        service = match["service"]?.stringValue
        operation = match["operation"]?.stringValue.map(WildcardPattern.init)
        model = match["model"]?.stringValue.map(WildcardPattern.init)
        account = match["account"]?.stringValue
        stateMachine = match["stateMachine"]?.stringValue.map(WildcardPattern.init)
        let when = o["when"]?.objectValue ?? JSONObject()
        for key in when.keys where !["probability", "calls", "every", "attempts", "between"].contains(key) {
            throw Invalid(description: "unknown key 'when.\(key)' in fault rule '\(name)'")
        }
        if let value = when["probability"] {
            guard let p = value.doubleValue, (0...1).contains(p) else {
                throw Invalid(description: "rule '\(name)': when.probability must be a number between 0 and 1")
            }
            probability = p
        }
        calls = try Self.counts(when["calls"], "when.calls", rule: name)
        every = try Self.bounded(when["every"], "when.every", rule: name, min: 1, max: Self.maximumCount)
        attempts = try Self.counts(when["attempts"], "when.attempts", rule: name)
        if let window = when["between"] {
            guard let start = window["start"]?.stringValue.flatMap(parseTimestamp), let end = window["end"]?.stringValue.flatMap(parseTimestamp) else {
                throw Invalid(description: "rule '\(name)': between needs ISO-8601 'start' and 'end'")
            }
            // A window that ends before it starts would be a range that cannot exist.
            guard start <= end else { throw Invalid(description: "rule '\(name)': when.between.end must not be before when.between.start") }
            between = (start, end)
        }
        let kinds = ["error", "latency", "connection", "stream"].filter { o[$0] != nil }
        guard kinds.count == 1 else { throw Invalid(description: "rule '\(name)' needs exactly one of error, latency, connection, stream") }
        switch kinds[0] {
        case "error":
            let e = o["error"]!
            guard let code = e["code"]?.stringValue else { throw Invalid(description: "rule '\(name)': error needs a 'code'") }
            let status = try Self.bounded(e["status"], "error.status", rule: name, min: 400, max: 599)
            let retryAfter = try Self.bounded(e["retryAfterMs"], "error.retryAfterMs", rule: name)
            fault = .error(code: code, message: e["message"]?.stringValue, status: status, retryAfterMillis: retryAfter)
        case "latency":
            let l = o["latency"]!
            fault = .latency(
                milliseconds: try Self.bounded(l["ms"], "latency.ms", rule: name) ?? 0,
                jitterMilliseconds: try Self.bounded(l["jitterMs"], "latency.jitterMs", rule: name) ?? 0)
        case "connection":
            guard let kind = (o["connection"]?.stringValue ?? o["connection"]?["kind"]?.stringValue).flatMap(ConnectionFault.init) else {
                throw Invalid(description: "rule '\(name)': connection must be reset, close or stall")
            }
            fault = .connection(kind)
        default:
            let s = o["stream"]!
            let after = try Self.bounded(s["afterEvents"], "stream.afterEvents", rule: name, max: 1_000_000) ?? 0
            if let code = s["exception"]?.stringValue {
                fault = .stream(afterEvents: after, .exception(code: code, message: s["message"]?.stringValue))
            } else {
                switch s["kind"]?.stringValue {
                case "truncate": fault = .stream(afterEvents: after, .truncate)
                case "corruptCrc": fault = .stream(afterEvents: after, .corruptCRC)
                case "stall": fault = .stream(afterEvents: after, .stall)
                default: throw Invalid(description: "rule '\(name)': stream needs 'exception' or 'kind' (truncate, corruptCrc, stall)")
                }
            }
        }
    }

    /// The largest call count, `every` or attempt a rule may name.
    static let maximumCount = 1_000_000_000

    /// A whole number in min...max (0 to an hour of milliseconds by default), or nil when absent.
    static func bounded(_ value: JSONValue?, _ key: String, rule: String, min: Int = 0, max: Int = 3_600_000) throws(Invalid) -> Int? {
        guard let value else { return nil }
        guard let number = value.intValue, (min...max).contains(number) else {
            throw Invalid(description: "rule '\(rule)': \(key) must be a whole number from \(min) to \(max)")
        }
        return number
    }

    /// A list of whole numbers from 1 (`calls`, `attempts`), or nil when absent.
    static func counts(_ value: JSONValue?, _ key: String, rule: String) throws(Invalid) -> Set<Int>? {
        guard let value else { return nil }
        let message = "rule '\(rule)': \(key) must be a list of whole numbers from 1 to \(maximumCount)"
        guard let items = value.arrayValue else { throw Invalid(description: message) }
        var numbers = Set<Int>()
        for item in items {
            guard let number = item.intValue, (1...maximumCount).contains(number) else { throw Invalid(description: message) }
            numbers.insert(number)
        }
        return numbers
    }
}
