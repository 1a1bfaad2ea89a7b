import AWSWire
public import ServiceKit
public import Chaos

/// What a client reads of a `WireAnswer` when no socket lies between them: the head as the edge
/// would write it, then the body's parts as the edge would send them (a paced stream at its
/// offsets, a passed-through body as it arrives). The test harness's in-memory transport is
/// built on it, so a test without a socket sees what one over HTTP sees, short of the HTTP
/// framing itself.
public struct DeliveredAnswer: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    /// The parts in order; it throws `BrokenConnection` where the edge would break the
    /// connection (an injected fault after a stream's frames, or halfway through a body).
    public var body: AsyncThrowingStream<[UInt8], any Error>

    /// The whole body.
    public func collected() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await part in body { bytes += part }
        return bytes
    }
}

/// The connection broke instead of (or in the middle of) an answer: an injected network fault,
/// as a client without a socket sees it.
public struct BrokenConnection: Error, Sendable, Equatable, CustomStringConvertible {
    public var fault: ConnectionFault

    public var description: String {
        switch fault {
        case .reset: return "the connection was reset before an answer"
        case .close: return "the connection closed before the answer was complete"
        case .stall: return "no answer came (the connection stalled)"
        }
    }
}

extension WireAnswer {
    /// How long a stalled connection is waited on before it counts as broken: the harness's
    /// socket client gives up after as long.
    static let stallSeconds: UInt64 = 60

    /// The answer as a client reads it, after the simulated latency. A reset or stall throws
    /// before any head; `close` gives the head and half the body, then throws.
    ///
    /// - Parameters:
    ///   - method: The request's method; a HEAD answer has no body.
    ///   - epochSeconds: The server's clock, for the `Date` header the edge adds.
    public func delivered(method: String, epochSeconds: Int64) async throws -> DeliveredAnswer {
        if delivery.delayMillis > 0 { try await Task.sleep(nanoseconds: UInt64(delivery.delayMillis) * 1_000_000) }
        var headers = response.headers
        if !headers.contains(where: { $0.name.lowercased() == "date" }) {
            headers.append(("Date", AWSTimestamp.httpDate(epochSeconds: epochSeconds)))
        }
        let fault = delivery.connectionFault
        if let fault, paced == nil {
            switch fault {
            case .reset:
                throw BrokenConnection(fault: fault)
            case .stall:
                try await Task.sleep(nanoseconds: Self.stallSeconds * 1_000_000_000)
                throw BrokenConnection(fault: fault)
            case .close:
                let half = Array(#"{"message":"The connection was closed before the response body was complete"}"#.utf8)
                return DeliveredAnswer(
                    status: 200, headers: [("Content-Type", "application/json"), ("Content-Length", String(half.count))],
                    body: Self.whole([Array(half.prefix(half.count / 2))], then: BrokenConnection(fault: fault)))
            }
        }
        let isHead = method == "HEAD"
        if let paced {
            return DeliveredAnswer(
                status: response.status, headers: headers,
                body: Self.stream { yield in
                    let started = ContinuousClock.now
                    for part in paced {
                        try await Task.sleep(until: started + .milliseconds(part.offsetMillis), clock: .continuous)
                        yield(part.bytes)
                    }
                    if let fault { throw BrokenConnection(fault: fault) }
                })
        }
        if let live {
            if let length = live.contentLength { Self.setLength(length, in: &headers) }
            // Read to its end even for a HEAD: whatever watches the body pass (the recorder)
            // keeps the call when it ends.
            return DeliveredAnswer(
                status: response.status, headers: headers,
                body: Self.stream { yield in
                    for try await part in live.body where !isHead && !part.isEmpty { yield(part) }
                })
        }
        let body = response.body
        if !isHead || !headers.contains(where: { $0.name.lowercased() == "content-length" }) {
            Self.setLength(body.count, in: &headers)
        }
        return DeliveredAnswer(
            status: response.status, headers: headers,
            body: Self.whole(isHead || body.isEmpty ? [] : [body]))
    }

    private static func setLength(_ length: Int, in headers: inout [(name: String, value: String)]) {
        headers.removeAll { $0.name.lowercased() == "content-length" }
        headers.append(("Content-Length", String(length)))
    }

    /// A body already at hand, ended by `error` if there is one.
    private static func whole(_ parts: [[UInt8]], then error: (any Error)? = nil) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            for part in parts { continuation.yield(part) }
            continuation.finish(throwing: error)
        }
    }

    /// A body whose parts `produce` yields in its own task, cancelled when the reader stops.
    private static func stream(
        _ produce: @escaping @Sendable (_ yield: @Sendable ([UInt8]) -> Void) async throws -> Void
    ) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await produce { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
