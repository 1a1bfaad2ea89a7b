import AWSWire
import Recording
import ServiceKit

/// Passes a real service's answer on while it arrives and keeps it: when the body ends, the
/// interaction (the client's request, the answer's status and headers, its body or its event
/// stream's frames with when each arrived) goes to the cassette. The client's parts never
/// wait for the cassette; only the answer's end does, so a recording is on disk before its
/// client sees the end (a recorder stopped right after a call keeps it, and `recordings list`
/// run next shows it). A client that goes away does not cut the recording short: the answer
/// is read to its end either way.
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
            var received = 0
            var kept = false
            func keepWhole() {
                var response = head
                if isEventStream { response.frames = frames } else { response.body = RecordedBody(capturing: body) }
                capture.keep(capture.interaction(response))
                kept = true
            }
            do {
                for try await part in answer.body {
                    received += part.count
                    if isEventStream {
                        decoder.feed(part)
                        let offset = Self.millis(since: headAt)
                        while let message = try? decoder.next() { frames.append(RecordedFrame(message: message, offsetMillis: offset)) }
                    } else {
                        body += part
                    }
                    // A client reading a sized body is done at its last byte, before the end.
                    if !kept, let length = answer.contentLength, received >= length { keepWhole() }
                    continuation.yield(part)
                }
            } catch {
                // An answer that broke off is not what the service says to this request.
                continuation.finish(throwing: error)
                return
            }
            if !kept { keepWhole() }
            continuation.finish()
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
