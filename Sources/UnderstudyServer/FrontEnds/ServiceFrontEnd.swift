import AWSWire

/// What a front end made of a request: the operation it named (for the journal) and the
/// response to write.
public struct Dispatched: Sendable {
    public var operation: String
    public var response: AWSResponse
    /// The canned completion rule that produced the answer, for the journal.
    public var rule: String?

    public init(operation: String, response: AWSResponse, rule: String? = nil) {
        self.operation = operation
        self.response = response
        self.rule = rule
    }
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
