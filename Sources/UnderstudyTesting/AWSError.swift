import AWSWire
import JSONCore

/// An AWS-shaped error answer, decoded as an SDK would: the code from `__type` or
/// `x-amzn-ErrorType` (JSON protocols) or `<Code>` (S3's XML), its message, the HTTP status and
/// the request id.
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

    /// The error a non-2xx answer carries.
    init(_ response: TestResponse) {
        let requestId = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
        if let json = try? JSONParser.parse(response.body) {
            let type = response.header("x-amzn-ErrorType") ?? json["__type"]?.stringValue ?? json["code"]?.stringValue ?? "Unknown"
            let message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? ""
            self.init(code: Self.shortCode(type), message: message, status: response.status, requestId: requestId)
        } else {
            let text = String(decoding: response.body, as: UTF8.self)
            let code = Self.element("Code", in: text) ?? response.header("x-amzn-ErrorType").map(Self.shortCode) ?? "Unknown"
            self.init(code: code, message: Self.element("Message", in: text) ?? "", status: response.status, requestId: requestId ?? Self.element("RequestId", in: text))
        }
    }

    /// `com.amazonaws.states#ExecutionDoesNotExist` and `ThrottlingException:http://…` as SDKs
    /// read them: the name alone.
    static func shortCode(_ type: String) -> String {
        var code = Substring(type)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return String(code)
    }

    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.firstRange(of: "<\(name)>"), let close = xml[open.upperBound...].firstRange(of: "</\(name)>") else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }
}
