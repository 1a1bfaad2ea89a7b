public import AWSWire
public import JSONCore

/// One event-stream message as a cassette keeps it: its headers with their wire types, its
/// payload (JSON where it is JSON), and when it arrived (milliseconds after the response head).
///
/// A Bedrock `chunk` carries the model's own event as base64 in `{"bytes": "…"}`; the cassette
/// shows that member decoded (`decodedBytes` says as what), so a person reads the model's text,
/// and `message` base64-encodes it again. A frame recorded and written back unchanged encodes to
/// the bytes that arrived: the decoding is taken only when encoding it again gives the same
/// base64, and JSON only when it writes back byte for byte (as `RecordedBody` does).
public struct RecordedFrame: Sendable, Equatable {
    /// What the payload's `bytes` member holds in the cassette in place of its base64.
    public enum DecodedBytes: String, Sendable, Equatable {
        /// The decoded bytes as a JSON value (compact JSON on the wire).
        case json
        /// The decoded bytes as a string (its UTF-8 on the wire).
        case text
    }

    public var headers: [EventStreamHeader]
    public var payload: RecordedBody
    public var decodedBytes: DecodedBytes?
    public var offsetMillis: Int

    public init(headers: [EventStreamHeader], payload: RecordedBody, decodedBytes: DecodedBytes? = nil, offsetMillis: Int) {
        self.headers = headers
        self.payload = payload
        self.decodedBytes = decodedBytes
        self.offsetMillis = offsetMillis
    }

    /// Captures a decoded message, showing a chunk's `bytes` decoded where that is exact.
    public init(message: EventStreamMessage, offsetMillis: Int) {
        self.init(headers: message.headers, payload: RecordedBody(capturing: message.payload), offsetMillis: offsetMillis)
        guard case .json(.object(var object)) = payload, case .string(let base64)? = object["bytes"],
            let decoded = Base64.decode(base64), Base64.encode(decoded) == base64
        else { return }
        switch RecordedBody(capturing: decoded) {
        case .json(let value):
            object["bytes"] = value
            decodedBytes = .json
        case .text(let text):
            object["bytes"] = .string(text)
            decodedBytes = .text
        case .empty, .binary:
            return
        }
        payload = .json(.object(object))
    }

    /// The message to send: the `bytes` member encoded again when the cassette shows it decoded.
    public var message: EventStreamMessage {
        EventStreamMessage(headers: headers, payload: wirePayload)
    }

    /// The frame's bytes with fresh CRCs (the encoder computes them over what is sent now).
    public func encoded() throws(EventStreamError) -> [UInt8] {
        try EventStreamEncoder.encode(message)
    }

    /// `:event-type` of an event, `:exception-type` of an exception, `:error-code` of an error.
    public var eventType: String? {
        for name in [":event-type", ":exception-type", ":error-code"] {
            if let value = headers.first(where: { $0.name == name })?.value.stringValue { return value }
        }
        return nil
    }

    /// The model's own event inside a Bedrock chunk, when the cassette shows it as JSON.
    public var chunkEvent: JSONValue? {
        guard decodedBytes != nil, case .json(let outer) = payload, let inner = outer["bytes"] else { return nil }
        if case .string(let text) = inner { return try? JSONParser.parse(text) }
        return inner
    }

    private var wirePayload: [UInt8] {
        guard let decodedBytes, case .json(.object(var object)) = payload, let inner = object["bytes"] else { return payload.bytes }
        switch (decodedBytes, inner) {
        case (.json, _): object["bytes"] = .string(Base64.encode(inner.jsonBytes))
        case (.text, .string(let text)): object["bytes"] = .string(Base64.encode(Array(text.utf8)))
        case (.text, _): object["bytes"] = .string(Base64.encode(inner.jsonBytes))
        }
        return JSONValue.object(object).jsonBytes
    }

    var fileValue: JSONValue {
        var object = JSONObject()
        object["offsetMillis"] = JSONValue(offsetMillis)
        object["headers"] = FrameHeaderCoding.fileValue(headers)
        if let decodedBytes { object["bytesEncoding"] = .string(decodedBytes.rawValue) }
        payload.write(into: &object, encodingKey: "payloadEncoding", valueKey: "payload")
        return .object(object)
    }

    init(fileValue json: JSONValue, at path: String) throws(CassetteFormatError) {
        let fields = try CassetteFields(json, at: path)
        offsetMillis = try fields.int("offsetMillis")
        headers = try FrameHeaderCoding.headers(fields.object["headers"], at: "\(path).headers")
        payload = try RecordedBody(fileObject: fields.object, encodingKey: "payloadEncoding", valueKey: "payload", at: path)
        if let name = try fields.optionalString("bytesEncoding") {
            guard let form = DecodedBytes(rawValue: name) else {
                throw CassetteFormatError("\(path).bytesEncoding is \"\(name)\"; expected \"json\" or \"text\"")
            }
            decodedBytes = form
        }
    }
}
