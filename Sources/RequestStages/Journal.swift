import Locking
import AWSWire
public import JSONCore

/// The last N requests, for the admin API and test assertions.
public final class Journal: Sendable {
    public struct Entry: Sendable {
        public var sequence: Int
        public var timeMillis: Int64
        public var service: String
        public var operation: String
        public var status: Int
        public var latencyMicros: Int64
        public var requestId: String
        public var account: String
        public var region: String
        /// The model a Bedrock runtime call named, and the state machine (by name) a Step
        /// Functions call or a Task's call concerns.
        public var model: String?
        public var stateMachine: String?
        public var attempt: Int?
        public var rule: String?
        public var fault: String?
        /// What a Bedrock call carried, for the console: bounded, see `JournalExchange`.
        public var exchange: JournalExchange?

        public var json: JSONValue {
            var o = JSONObject()
            o["sequence"] = JSONValue(sequence)
            o["time"] = .string(AWSTimestamp.iso8601(epochMillis: timeMillis))
            o["service"] = .string(service)
            o["operation"] = .string(operation)
            o["status"] = JSONValue(status)
            o["latencyMs"] = .number(JSONNumber(Double(latencyMicros) / 1000))
            o["requestId"] = .string(requestId)
            o["account"] = .string(account)
            o["region"] = .string(region)
            if let model { o["model"] = .string(model) }
            if let stateMachine { o["stateMachine"] = .string(stateMachine) }
            if let attempt { o["attempt"] = JSONValue(attempt) }
            if let rule { o["rule"] = .string(rule) }
            if let fault { o["fault"] = .string(fault) }
            if let exchange { o["exchange"] = exchange.json }
            return .object(o)
        }
    }

    private struct Ring {
        var entries: [Entry] = []
        var next = 0
        var sequence = 0
    }

    public let capacity: Int
    private let ring: Locked<Ring>

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        ring = Locked(Ring())
    }

    public func record(_ make: (Int) -> Entry) {
        ring.withLock { r in
            r.sequence += 1
            let entry = make(r.sequence)
            if r.entries.count < capacity {
                r.entries.append(entry)
            } else {
                r.entries[r.next] = entry
                r.next = (r.next + 1) % capacity
            }
        }
    }

    /// The newest `limit` entries, oldest first; with `after`, only those whose sequence is
    /// greater (a poller's cursor: it asks again with the last sequence it saw).
    public func recent(limit: Int? = nil, after: Int? = nil) -> [Entry] {
        ring.withLock { r in
            var ordered = Array(r.entries[r.next...] + r.entries[..<r.next])
            if let after, let first = ordered.firstIndex(where: { $0.sequence > after }) {
                ordered.removeFirst(first)
            } else if after != nil {
                ordered = []
            }
            guard let limit, limit < ordered.count else { return ordered }
            return Array(ordered.suffix(max(0, limit)))
        }
    }

    public func clear() { ring.withLock { $0 = Ring() } }
}
