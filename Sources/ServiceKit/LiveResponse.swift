/// A response passed through while its body is still arriving: status and headers as the other
/// endpoint sent them, then the body's parts in order. A part is whatever arrived together (an
/// event-stream frame or several, a piece of a JSON body); the stream ends when the body has
/// all arrived and throws when the other endpoint broke off, and the edge then breaks the
/// client's connection too, as a proxy would.
public struct LiveResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    /// The length the other endpoint declared, kept so the client sees the same framing;
    /// nil for a chunked body.
    public var contentLength: Int?
    public var body: LiveBody

    public init(status: Int, headers: [(name: String, value: String)], contentLength: Int?, body: LiveBody) {
        self.status = status
        self.headers = headers
        self.contentLength = contentLength
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The whole body, for a reader that cannot take it in parts (a Task's call).
    public func collected() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        if let contentLength { bytes.reserveCapacity(contentLength) }
        for try await part in body { bytes += part }
        return bytes
    }
}
