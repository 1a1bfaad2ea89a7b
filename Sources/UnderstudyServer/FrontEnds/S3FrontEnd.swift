import AWSWire

/// S3 (rest-xml, path style). The object store and its operations arrive with batch
/// inference; until then every request is answered, in S3's XML, that it is not emulated.
public struct S3FrontEnd: ServiceFrontEnd {
    public let service = AWSService.s3

    public init() {}

    public let servedOperations: [String] = []

    public func handle(_ request: ServiceRequest) -> Dispatched {
        let operation = "S3 \(request.method)"
        return Dispatched(
            operation: operation,
            response: ServiceErrors.response(
                ServiceErrors.notEmulated(operation, service: .s3), service: .s3, requestId: request.requestId, resource: request.path))
    }
}
