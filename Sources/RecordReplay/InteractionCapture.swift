import AWSWire
import Recording
import ServiceKit

/// Passes a real service's answer on while it arrives and keeps it: when the body ends, the
/// interaction (the client's request, the answer's status and headers, its body or its event
/// stream's frames with when each arrived) goes to the cassette. The client's reading never
/// waits for the cassette, and a client that goes away does not cut the recording short: the
/// answer is read to its end either way.
struct InteractionCapture: Sendable {
    let service: String
    let operation: String
    let resource: String?
    let request: RecordedRequest
    /// When the request went upstream, for the frames' offsets.
    let sent: ContinuousClock.Instant
    /// The server clock's time of the call, in epoch milliseconds, for people reading the
    /// cassette (replay ignores it).
    let recordedAt: Int64
    let keep: @Sendable (RecordedInteraction) -> Void

    static let eventStreamContentType = "application/vnd.amazon.eventstream"

    /// The answer as a live response for the client, recorded as it passes.
    func passThrough(_ answer: LiveResponse) -> LiveResponse {
        let headMillis = Self.millis(since: sent)
        let isEventStream = answer.header("Content-Type")?.lowercased().hasPrefix(Self.eventStreamContentType) ?? false
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let head = RecordedResponse(status: answer.status, headers: RecordedHeader.list(answer.headers), headMillis: headMillis)
        let capture = self
        let headAt = ContinuousClock.now
        Task {
            var body: [UInt8] = []
            var decoder = EventStreamDecoder()
            var frames: [RecordedFrame] = []
            var failed = false
            do {
                for try await part in answer.body {
                    continuation.yield(part)
                    if isEventStream {
                        decoder.feed(part)
                        let offset = Self.millis(since: headAt)
                        while let message = try? decoder.next() { frames.append(RecordedFrame(message: message, offsetMillis: offset)) }
                    } else {
                        body += part
                    }
                }
                continuation.finish()
            } catch {
                failed = true
                continuation.finish(throwing: error)
            }
            // An answer that broke off is not what the service says to this request.
            guard !failed else { return }
            var response = head
            if isEventStream { response.frames = frames } else { response.body = RecordedBody(capturing: body) }
            capture.keep(capture.interaction(response))
        }
        return LiveResponse(status: answer.status, headers: answer.headers, contentLength: answer.contentLength, body: stream)
    }

    func interaction(_ response: RecordedResponse) -> RecordedInteraction {
        RecordedInteraction(
            service: service, operation: operation, resource: resource, recordedAt: AWSTimestamp.iso8601(epochMillis: recordedAt), request: request, response: response)
    }

    static func millis(since instant: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - instant
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
