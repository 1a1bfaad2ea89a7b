public import NIOCore

/// The body of an upstream answer, part by part as the connection delivers it, with back
/// pressure: when the consumer falls behind by a few parts the connection stops reading, so
/// a slow client of a pass-through proxy slows the upstream instead of filling memory.
/// Iterate it once. Dropping it (or stopping early) closes the connection; an upstream that
/// breaks or stalls past the client's timeout ends it with an `UpstreamFailure`.
public struct UpstreamResponseBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, UpstreamExchangeHandler.BodyDemand
    >

    let producer: Producer

    public struct AsyncIterator: AsyncIteratorProtocol {
        var inner: Producer.AsyncIterator

        public mutating func next() async throws -> ByteBuffer? { try await inner.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inner: producer.makeAsyncIterator()) }

    /// The parts as byte arrays, for callers that know nothing of NIO (the recorder hands them
    /// to the HTTP edge), read in the caller's task. Stopping early closes the connection.
    public var byteParts: ByteParts { ByteParts(body: self) }

    public struct ByteParts: AsyncSequence, Sendable {
        public typealias Element = [UInt8]
        let body: UpstreamResponseBody

        public struct AsyncIterator: AsyncIteratorProtocol {
            var inner: UpstreamResponseBody.AsyncIterator

            public mutating func next() async throws -> [UInt8]? { try await inner.next().map { Array($0.readableBytesView) } }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inner: body.makeAsyncIterator()) }
    }

    /// Every remaining part, joined; for callers that want the body whole.
    public func collect() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await part in self { bytes += part.readableBytesView }
        return bytes
    }
}
