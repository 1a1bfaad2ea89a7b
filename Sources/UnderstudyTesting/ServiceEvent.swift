public import AWSWire
public import JSONCore
import ServiceKit

/// One event of an `application/vnd.amazon.eventstream` answer, decoded: its `:event-type` and
/// its payload as JSON.
public struct ServiceEvent: Sendable {
    public var type: String
    public var payload: JSONValue
    /// The frame as AWSWire decoded it, headers included.
    public var message: EventStreamMessage
}

/// The events of a streamed answer as they arrive, decoded by AWSWire's `EventStreamDecoder`
/// (prelude and message CRCs checked). An exception frame ends the sequence by throwing its
/// `AWSError`, as SDKs raise it mid-stream. Iterate it once.
public struct ServiceEvents: AsyncSequence, Sendable {
    public typealias Element = ServiceEvent
    let parts: LiveBody
    let status: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        var parts: LiveBody.AsyncIterator
        var decoder = EventStreamDecoder()
        let status: Int
        var done = false

        public mutating func next() async throws -> ServiceEvent? {
            while !done {
                if let message = try decoder.next() { return try Self.event(message, status: status) }
                let next: [UInt8]?
                do {
                    next = try await parts.next()
                } catch {
                    throw HarnessError.translating(error)
                }
                guard let part = next else {
                    done = true
                    if decoder.bufferedCount > 0 { throw HarnessError.unexpectedAnswer("the stream ended inside a frame") }
                    return nil
                }
                decoder.feed(part)
            }
            return nil
        }

        static func event(_ message: EventStreamMessage, status: Int) throws -> ServiceEvent {
            let payload = (try? JSONParser.parse(message.payload)) ?? .null
            if case .string(let kind)? = message[header: ":message-type"], kind != "event" {
                let code: String
                if case .string(let name)? = message[header: ":exception-type"] {
                    code = name
                } else if case .string(let name)? = message[header: ":error-code"] {
                    code = name
                } else {
                    code = "Unknown"
                }
                var text = payload["message"]?.stringValue ?? payload["Message"]?.stringValue ?? ""
                if text.isEmpty, case .string(let errorMessage)? = message[header: ":error-message"] { text = errorMessage }
                throw AWSError(code: code, message: text, status: status)
            }
            var type = ""
            if case .string(let name)? = message[header: ":event-type"] { type = name }
            return ServiceEvent(type: type, payload: payload, message: message)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(parts: parts.makeAsyncIterator(), status: status) }
}
