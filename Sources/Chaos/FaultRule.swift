import Determinism
import JSONCore

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
        probability = when["probability"]?.doubleValue
        if let p = probability, !(0...1).contains(p) { throw Invalid(description: "rule '\(name)': probability must be between 0 and 1") }
        calls = when["calls"]?.arrayValue.map { Set($0.compactMap(\.intValue)) }
        every = when["every"]?.intValue
        if let e = every, e < 1 { throw Invalid(description: "rule '\(name)': every must be at least 1") }
        attempts = when["attempts"]?.arrayValue.map { Set($0.compactMap(\.intValue)) }
        if let window = when["between"] {
            guard let start = window["start"]?.stringValue.flatMap(parseTimestamp), let end = window["end"]?.stringValue.flatMap(parseTimestamp) else {
                throw Invalid(description: "rule '\(name)': between needs ISO-8601 'start' and 'end'")
            }
            between = (start, end)
        }
        let kinds = ["error", "latency", "connection", "stream"].filter { o[$0] != nil }
        guard kinds.count == 1 else { throw Invalid(description: "rule '\(name)' needs exactly one of error, latency, connection, stream") }
        switch kinds[0] {
        case "error":
            let e = o["error"]!
            guard let code = e["code"]?.stringValue else { throw Invalid(description: "rule '\(name)': error needs a 'code'") }
            let status = e["status"]?.intValue
            if let status, !(400...599).contains(status) { throw Invalid(description: "rule '\(name)': error status must be 400-599") }
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

    /// A whole number in 0...max (an hour of milliseconds by default), or nil when absent.
    static func bounded(_ value: JSONValue?, _ key: String, rule: String, max: Int = 3_600_000) throws(Invalid) -> Int? {
        guard let value else { return nil }
        guard let number = value.intValue, (0...max).contains(number) else {
            throw Invalid(description: "rule '\(rule)': \(key) must be a whole number from 0 to \(max)")
        }
        return number
    }
}
