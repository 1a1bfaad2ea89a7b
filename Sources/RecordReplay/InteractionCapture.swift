import AWSWire
import Dispatch
import Recording
import ServiceKit

/// Passes a real service's answer on while it arrives and keeps it: when the body ends, the
/// interaction (the client's request, the answer's status and headers, its body or its event
/// stream's frames with when each arrived) goes to the cassette. The client's parts never
/// wait for the cassette; only the answer's end does, so a recording is on disk before its
/// client sees the end (a recorder stopped right after a call keeps it, and `recordings list`
/// run next shows it). A client that goes away does not cut the recording short: its reader
/// (the HTTP edge, or a Task) reads the answer to its end either way.
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
    /// Where this call counts until its interaction is written.
    let inProgress: RecordingsInProgress
    let keep: @Sendable (RecordedInteraction) -> Void

    /// Writing a cassette blocks on the disk (each file is synced): it runs here, in call order,
    /// so no thread of the few that Swift's tasks share (one per core) is held by a disk while
    /// another call's bytes wait for it.
    static let cassetteQueue = DispatchQueue(label: "understudy.cassette-writer")

    static let eventStreamContentType = "application/vnd.amazon.eventstream"

    /// The answer as a live response for the client, recorded as it passes.
    func passThrough(_ answer: LiveResponse) -> LiveResponse {
        let headMillis = Self.millis(since: sent)
        let head = RecordedResponse(status: answer.status, headers: RecordedHeader.list(answer.headers), headMillis: headMillis)
        let isEventStream = answer.header("Content-Type")?.lowercased().hasPrefix(Self.eventStreamContentType) ?? false
        let capture = self
        let headAt = ContinuousClock.now
        inProgress.begin()
        let body = LiveBody(makePull: {
            let reader = Reader(
                capture: capture, head: head, isEventStream: isEventStream, headAt: headAt, contentLength: answer.contentLength,
                upstream: answer.body.makeAsyncIterator())
            return { try await reader.next() }
        })
        return LiveResponse(status: answer.status, headers: answer.headers, contentLength: answer.contentLength, body: body)
    }

    /// One reading of the answer: hands each part on as the reader asks for it and keeps it, with
    /// its arrival offset; decoding frames and writing the cassette wait until the answer is
    /// whole, so the work of recording does not delay the client's first bytes. The call is kept
    /// when it has been read to its end (the edge and a Task always read that far, also for a
    /// client that went away); an answer that broke off is not what the service says to this
    /// request and is not kept.
    private final class Reader {
        let capture: InteractionCapture
        let head: RecordedResponse
        let isEventStream: Bool
        let headAt: ContinuousClock.Instant
        let contentLength: Int?
        var upstream: LiveBody.AsyncIterator
        var parts: [(bytes: [UInt8], offsetMillis: Int)] = []
        var received = 0
        var kept = false
        /// The last byte of a sized body, held back until the cassette has the call.
        var lastByte: [UInt8]?
        /// Written, or given up on: no longer counted in `inProgress`.
        var settled = false

        init(
            capture: InteractionCapture, head: RecordedResponse, isEventStream: Bool, headAt: ContinuousClock.Instant, contentLength: Int?,
            upstream: LiveBody.AsyncIterator
        ) {
            self.capture = capture
            self.head = head
            self.isEventStream = isEventStream
            self.headAt = headAt
            self.contentLength = contentLength
            self.upstream = upstream
        }

        func next() async throws -> [UInt8]? {
            if let lastByte {
                self.lastByte = nil
                await keepWhole()
                return lastByte
            }
            let next: [UInt8]?
            do {
                next = try await upstream.next()
            } catch {
                settle()
                throw error
            }
            guard let part = next else {
                if !kept { await keepWhole() }
                return nil
            }
            received += part.count
            parts.append((part, InteractionCapture.millis(since: headAt)))
            // A client reading a sized body is done at its last byte, before the end: all but
            // that byte go on at once, the last one once the cassette has the call.
            guard !kept, let contentLength, received >= contentLength else { return part }
            if part.count > 1 {
                lastByte = [part[part.count - 1]]
                return Array(part.dropLast())
            }
            await keepWhole()
            return part
        }

        private func keepWhole() async {
            kept = true
            let response = InteractionCapture.response(head, parts: parts, isEventStream: isEventStream)
            let capture = self.capture
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                InteractionCapture.cassetteQueue.async {
                    capture.keep(capture.interaction(response))
                    done.resume()
                }
            }
            settle()
        }

        private func settle() {
            guard !settled else { return }
            settled = true
            capture.inProgress.end()
        }
    }

    /// The whole answer as the cassette keeps it: an event stream's frames, each with the offset
    /// of the part that completed it, or the body.
    static func response(_ head: RecordedResponse, parts: [(bytes: [UInt8], offsetMillis: Int)], isEventStream: Bool) -> RecordedResponse {
        var response = head
        if isEventStream {
            var decoder = EventStreamDecoder()
            var frames: [RecordedFrame] = []
            for part in parts {
                decoder.feed(part.bytes)
                while let message = try? decoder.next() { frames.append(RecordedFrame(message: message, offsetMillis: part.offsetMillis)) }
            }
            response.frames = frames
        } else {
            var body: [UInt8] = []
            body.reserveCapacity(parts.reduce(0) { $0 + $1.bytes.count })
            for part in parts { body += part.bytes }
            response.body = RecordedBody(capturing: body)
        }
        return response
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
