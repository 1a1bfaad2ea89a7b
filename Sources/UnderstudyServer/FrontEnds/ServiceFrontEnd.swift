import AWSWire

/// What a front end made of a request: the operation it named (for the journal) and the
/// response to write.
public struct Dispatched: Sendable {
    public var operation: String
    public var response: AWSResponse
    /// The canned completion rule that produced the answer, for the journal.
    public var rule: String?
    /// The fault rule that applied, for the journal.
    public var fault: String?
    /// Work that completes the response later (StartSyncExecution waits for its execution);
    /// `response` is unused when set.
    public var pending: (@Sendable () async -> AWSResponse)?

    public init(operation: String, response: AWSResponse, rule: String? = nil) {
        self.operation = operation
        self.response = response
        self.rule = rule
    }

    public init(operation: String, pending: @escaping @Sendable () async -> AWSResponse) {
        self.operation = operation
        self.response = AWSResponse()
        self.pending = pending
    }
}

/// What the pipeline hands the HTTP layer: a response now, or work that produces one.
public enum Reply: Sendable {
    case ready(AWSResponse)
    case pending(@Sendable () async -> AWSResponse)
}

/// One AWS service's wire protocol in front of its engine.
public protocol ServiceFrontEnd: Sendable {
    var service: AWSService { get }
    /// The operations this front end answers for real (the admin health report lists them).
    var servedOperations: [String] { get }
    func handle(_ request: ServiceRequest) -> Dispatched
}

extension ServiceFrontEnd {
    func error(_ error: AWSServiceError, operation: String, request: ServiceRequest) -> Dispatched {
        Dispatched(operation: operation, response: ServiceErrors.response(error, service: service, requestId: request.requestId))
    }
}
