import AWSWire

/// An AWS-shaped error answer, decoded as an SDK would: its code and message (from
/// `x-amzn-ErrorType`, `__type` or S3's `<Code>`), the HTTP status and the request id.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var status: Int
    public var requestId: String?

    public init(code: String, message: String, status: Int, requestId: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.requestId = requestId
    }

    public var description: String { "\(code) (\(status)): \(message)" }

    /// The error a non-2xx answer carries, read as SDKs read it (`AWSErrorAnswer`).
    init(_ response: TestResponse) {
        let answer = AWSErrorAnswer(header: response.header, body: response.body)
        let requestId = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
            ?? (try? XMLElement.parse(response.body))?.childText("RequestId")
        self.init(code: answer.code ?? "Unknown", message: answer.message ?? "", status: response.status, requestId: requestId)
    }
}
