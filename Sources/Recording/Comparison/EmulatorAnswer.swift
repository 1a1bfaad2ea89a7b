public import AWSWire

/// What the emulator answered a recorded request with, for `recordings diff` to hold beside
/// what AWS answered: status, headers, and the body bytes or the stream's messages.
public struct EmulatorAnswer: Sendable {
    public var status: Int
    public var headers: [RecordedHeader]
    public var body: [UInt8]
    /// The messages of an event-stream answer; nil for any other.
    public var frames: [EventStreamMessage]?

    public init(status: Int, headers: [RecordedHeader] = [], body: [UInt8] = [], frames: [EventStreamMessage]? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.frames = frames
    }

    /// An answer whose stream is the encoded frames the server writes (`Outcome.stream`).
    public init(status: Int, headers: [RecordedHeader] = [], encodedFrames: [[UInt8]]) throws(EventStreamError) {
        var messages: [EventStreamMessage] = []
        for frame in encodedFrames { messages += try EventStreamDecoder.decodeAll(frame) }
        self.init(status: status, headers: headers, frames: messages)
    }
}
