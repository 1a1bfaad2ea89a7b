/// An upstream answer's status line and headers, as they came: a recording keeps them and a
/// pass-through proxy repeats them, so nothing is normalised (names keep their case, repeated
/// headers stay repeated, `Transfer-Encoding: chunked` says the body came chunked).
public struct UpstreamResponseHead: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]

    public init(status: Int, reason: String, headers: [(name: String, value: String)]) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    /// The first value of a header, the name compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
