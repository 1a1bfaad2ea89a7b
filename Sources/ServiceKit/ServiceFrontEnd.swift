public import AWSWire

/// One AWS service's operations in front of its engine: it names the operation an HTTP
/// request calls (parsing what it needs once) and answers operations as typed outcomes, which
/// the HTTP edge renders in the service's protocol and Task integrations read directly.
public protocol ServiceFrontEnd: Sendable {
    var service: AWSService { get }
    /// The operations this front end answers for real (the admin health report lists them).
    var servedOperations: [String] { get }
    /// The operation an HTTP request calls, with its input and the resource it concerns.
    func operation(for request: ServiceRequest) -> ServiceCall
    func handle(_ operation: ServiceCall) -> Handling
}

extension ServiceFrontEnd {
    /// An operation named from the request alone, with no body to parse.
    public func plainOperation(_ name: String, for request: ServiceRequest, model: String? = nil) -> ServiceCall {
        ServiceCall(service: service, name: OperationName(name), origin: .http, request: request, model: model)
    }
}
