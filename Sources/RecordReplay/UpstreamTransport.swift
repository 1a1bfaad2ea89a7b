public import Forwarding

/// Sends a request that `Forwarding` prepared for the real service and hands back the answer
/// as it arrives. The composition root gives the recorder one over the TLS upstream client;
/// tests give it one in process.
public protocol UpstreamTransport: Sendable {
    func send(_ request: ForwardedRequest) async throws -> UpstreamAnswer
}

/// A real service's answer while its body is still arriving.
public struct UpstreamAnswer: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    /// The declared length; nil for a chunked body.
    public var contentLength: Int?
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, headers: [(name: String, value: String)], contentLength: Int?, body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.contentLength = contentLength
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
