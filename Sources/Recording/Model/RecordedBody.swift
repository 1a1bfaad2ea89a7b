public import JSONCore

/// A body as a cassette keeps it: the JSON value when the bytes are JSON a person can read, the
/// text when they are other readable UTF-8 (S3's XML, JSON written with spaces or escapes),
/// otherwise the bytes themselves (base64 in the file).
///
/// `.json` is chosen only when writing the value back compactly gives the very bytes that came
/// (AWS writes compact JSON, so nearly always), which is what lets replay answer with the
/// recorded bytes. JSON that would not come back byte for byte stays `.text`, still readable and
/// still exact.
public enum RecordedBody: Sendable, Equatable {
    case empty
    case json(JSONValue)
    case text(String)
    case binary([UInt8])

    /// Picks the most readable form that gives `bytes` back exactly.
    public init(capturing bytes: [UInt8]) {
        if bytes.isEmpty {
            self = .empty
            return
        }
        if let value = try? JSONParser.parse(bytes), value.jsonBytes == bytes {
            self = .json(value)
        } else if Self.isReadable(bytes), let text = String(validating: bytes, as: UTF8.self) {
            self = .text(text)
        } else {
            self = .binary(bytes)
        }
    }

    /// Text a person can read: no control characters but tab and line breaks (binary data that
    /// happens to be valid UTF-8 stays base64).
    private static func isReadable(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The bytes this body stands for on the wire.
    public var bytes: [UInt8] {
        switch self {
        case .empty: return []
        case .json(let value): return value.jsonBytes
        case .text(let text): return Array(text.utf8)
        case .binary(let bytes): return bytes
        }
    }

    /// The body as a JSON value, whether kept as JSON or as text that parses (nil otherwise).
    public var jsonValue: JSONValue? {
        switch self {
        case .json(let value): return value
        case .text(let text): return try? JSONParser.parse(text)
        case .empty, .binary: return nil
        }
    }

    public var isEmpty: Bool { if case .empty = self { return true } else { return false } }

    /// The name the file gives the form (`bodyEncoding`, `payloadEncoding`); nil when empty.
    var encodingName: String? {
        switch self {
        case .empty: return nil
        case .json: return "json"
        case .text: return "text"
        case .binary: return "base64"
        }
    }

    /// What the file holds for the body, beside `encodingName`.
    var fileValue: JSONValue? {
        switch self {
        case .empty: return nil
        case .json(let value): return value
        case .text(let text): return .string(text)
        case .binary(let bytes): return .string(Base64.encode(bytes))
        }
    }

    /// Reads the pair `encodingKey`/`valueKey` of a cassette object; both absent is an empty body.
    init(fileObject object: JSONObject, encodingKey: String, valueKey: String, at path: String) throws(CassetteFormatError) {
        let encoding = object[encodingKey]
        let value = object[valueKey]
        switch (encoding, value) {
        case (nil, nil):
            self = .empty
        case (.string("json")?, let value?):
            self = .json(value)
        case (.string("text")?, .string(let text)?):
            self = .text(text)
        case (.string("base64")?, .string(let text)?):
            guard let bytes = Base64.decode(text) else { throw CassetteFormatError("\(path).\(valueKey) is not base64") }
            self = .binary(bytes)
        case (let encoding?, _):
            throw CassetteFormatError("\(path).\(encodingKey) is \(encoding.jsonString); expected \"json\", \"text\" or \"base64\" with \(valueKey)")
        case (nil, _?):
            throw CassetteFormatError("\(path).\(valueKey) has no \(encodingKey)")
        }
    }

    /// Adds `encodingKey` and `valueKey` to `object` (nothing for an empty body).
    func write(into object: inout JSONObject, encodingKey: String, valueKey: String) {
        guard let name = encodingName, let value = fileValue else { return }
        object[encodingKey] = .string(name)
        object[valueKey] = value
    }
}
