public import JSONCore

/// The server's journal as typed entries, with the queries assertions make.
public struct JournalView: Sendable {
    let server: TestServer

    /// One answered call.
    public struct Entry: Sendable {
        public var sequence: Int
        public var service: String
        public var operation: String
        public var status: Int
        public var requestId: String
        public var account: String
        public var region: String
        /// The model a Bedrock runtime call named.
        public var model: String?
        /// The state machine (by name) a Step Functions call or a Task's call concerns.
        public var stateMachine: String?
        /// A Task's retry attempt (1 for the first call), when the call came from a state.
        public var attempt: Int?
        /// The canned completion rule that answered.
        public var rule: String?
        /// The fault rule that broke it.
        public var fault: String?
        public var raw: JSONValue

        init(_ entry: JSONValue) {
            sequence = entry["sequence"]?.intValue ?? 0
            service = entry["service"]?.stringValue ?? ""
            operation = entry["operation"]?.stringValue ?? ""
            status = entry["status"]?.intValue ?? 0
            requestId = entry["requestId"]?.stringValue ?? ""
            account = entry["account"]?.stringValue ?? ""
            region = entry["region"]?.stringValue ?? ""
            model = entry["model"]?.stringValue
            stateMachine = entry["stateMachine"]?.stringValue
            attempt = entry["attempt"]?.intValue
            rule = entry["rule"]?.stringValue
            fault = entry["fault"]?.stringValue
            raw = entry
        }
    }

    /// Every entry the journal keeps, oldest first.
    public func entries() async throws -> [Entry] {
        let answer = try await server.admin("GET", "journal")
        return (answer["entries"]?.arrayValue ?? []).map(Entry.init).sorted { $0.sequence < $1.sequence }
    }

    /// The entries matching every condition given.
    public func calls(
        service: String? = nil, operation: String? = nil, model: String? = nil, stateMachine: String? = nil, status: Int? = nil,
        attempt: Int? = nil, rule: String? = nil, fault: String? = nil
    ) async throws -> [Entry] {
        try await entries().filter { entry in
            (service.map { $0 == entry.service } ?? true) && (operation.map { $0 == entry.operation } ?? true)
                && (model.map { $0 == entry.model } ?? true) && (stateMachine.map { $0 == entry.stateMachine } ?? true)
                && (status.map { $0 == entry.status } ?? true) && (attempt.map { $0 == entry.attempt } ?? true)
                && (rule.map { $0 == entry.rule } ?? true) && (fault.map { $0 == entry.fault } ?? true)
        }
    }
}
