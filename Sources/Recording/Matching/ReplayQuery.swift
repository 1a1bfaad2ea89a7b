/// A request to answer from a cassette: what the dispatcher worked out (service, operation,
/// resource) and the request as it came (the book redacts it as recordings were).
public struct ReplayQuery: Sendable {
    public var service: String
    public var operation: String
    public var resource: String?
    public var request: RecordedRequest
    /// The account the caller signs as; recorded placeholder accounts become this one in the
    /// answer, and this one the placeholder in the request before matching.
    public var callerAccount: String?

    public init(service: String, operation: String, resource: String? = nil, request: RecordedRequest, callerAccount: String? = nil) {
        self.service = service
        self.operation = operation
        self.resource = resource
        self.request = request
        self.callerAccount = callerAccount
    }
}
