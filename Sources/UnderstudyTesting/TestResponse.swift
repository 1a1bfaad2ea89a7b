public import AWSWire
public import JSONCore

/// An answer as it came: status, headers in wire order, body bytes; the wire type the server
/// itself writes.
public typealias TestResponse = AWSResponse

extension AWSResponse {
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON.
    public func json() throws -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw HarnessError.unexpectedAnswer("a body that is not JSON (status \(status)): \(text.prefix(200))")
        }
    }

    /// Itself when its status is 2xx; otherwise the `AWSError` it carries, thrown.
    public func succeeded() throws(AWSError) -> AWSResponse {
        guard (200..<300).contains(status) else { throw AWSError(self) }
        return self
    }
}
