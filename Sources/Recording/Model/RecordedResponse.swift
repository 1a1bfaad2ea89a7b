import JSONCore

/// The response half of an interaction: status, headers, and either the body or, for an
/// `application/vnd.amazon.eventstream` answer, its frames with their arrival times.
public struct RecordedResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [RecordedHeader]
    /// The whole body; empty for an event stream, whose content is `frames`.
    public var body: RecordedBody
    /// The messages of an event stream in the order they came; nil for any other answer.
    public var frames: [RecordedFrame]?
    /// Milliseconds from sending the request to the response head, for replay's pacing.
    public var headMillis: Int?

    public init(status: Int, headers: [RecordedHeader] = [], body: RecordedBody = .empty, frames: [RecordedFrame]? = nil, headMillis: Int? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.frames = frames
        self.headMillis = headMillis
    }

    public var isEventStream: Bool { frames != nil }

    var fileValue: JSONValue {
        var object = JSONObject()
        object["status"] = JSONValue(status)
        if let headMillis { object["headMillis"] = JSONValue(headMillis) }
        object["headers"] = RecordedHeader.fileValue(headers)
        body.write(into: &object, encodingKey: "bodyEncoding", valueKey: "body")
        if let frames { object["frames"] = .array(frames.map(\.fileValue)) }
        return .object(object)
    }

    init(fileValue json: JSONValue?, at path: String) throws(CassetteFormatError) {
        let fields = try CassetteFields(json, at: path)
        status = try fields.int("status")
        guard (100...599).contains(status) else { throw CassetteFormatError("\(path).status \(status) is not an HTTP status") }
        headMillis = try fields.optionalInt("headMillis")
        headers = try fields.headers("headers")
        body = try RecordedBody(fileObject: fields.object, encodingKey: "bodyEncoding", valueKey: "body", at: path)
        if let items = try fields.array("frames") {
            var frames: [RecordedFrame] = []
            frames.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { frames.append(try RecordedFrame(fileValue: item, at: "\(path).frames[\(i)]")) }
            self.frames = frames
        } else {
            frames = nil
        }
    }
}
