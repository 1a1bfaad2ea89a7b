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
    /// to the HTTP edge). Ending the stream early closes the connection.
    public func byteParts() -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let reading = Task {
                do {
                    for try await part in self { continuation.yield(Array(part.readableBytesView)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in reading.cancel() }
        }
    }

    /// Every remaining part, joined; for callers that want the body whole.
    public func collect() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await part in self { bytes += part.readableBytesView }
        return bytes
    }
}
