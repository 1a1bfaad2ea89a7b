import AWSWire
import JSONCore

/// How a frame's headers read in a cassette: one object, name to value, in wire order. A string
/// header (every header Bedrock and Step Functions send) is its string; any other type is
/// `{"type", "value"}` with the wire type named (the ten of the event-stream spec), so a frame
/// is re-encoded exactly: a `long` stays a `long` even when its value would fit a `short`. Byte
/// arrays are base64, UUIDs 32 hex digits, timestamps milliseconds since the epoch.
enum FrameHeaderCoding {
    static func fileValue(_ headers: [EventStreamHeader]) -> JSONValue {
        var object = JSONObject(minimumCapacity: headers.count)
        for header in headers { object[header.name] = fileValue(header.value) }
        return .object(object)
    }

    static func headers(_ json: JSONValue?, at path: String) throws(CassetteFormatError) -> [EventStreamHeader] {
        switch json {
        case nil, .null?: return []
        case .object(let object)?:
            var headers: [EventStreamHeader] = []
            for member in object {
                headers.append(EventStreamHeader(member.key, try value(member.value, at: "\(path).\(member.key)")))
            }
            return headers
        case let other?: throw CassetteFormatError("\(path) must be an object, not \(other.typeName)")
        }
    }

    private static func fileValue(_ value: EventStreamHeaderValue) -> JSONValue {
        let type: String
        let json: JSONValue
        switch value {
        case .string(let text): return .string(text)
        case .bool(let flag): (type, json) = ("boolean", .bool(flag))
        case .byte(let number): (type, json) = ("byte", JSONValue(Int(number)))
        case .short(let number): (type, json) = ("short", JSONValue(Int(number)))
        case .integer(let number): (type, json) = ("integer", JSONValue(Int(number)))
        case .long(let number): (type, json) = ("long", .number(JSONNumber(number)))
        case .byteArray(let bytes): (type, json) = ("byte_array", .string(Base64.encode(bytes)))
        case .timestamp(let millis): (type, json) = ("timestamp", .number(JSONNumber(millis)))
        case .uuid(let bytes): (type, json) = ("uuid", .string(hex(bytes)))
        }
        return ["type": .string(type), "value": json]
    }

    private static func value(_ json: JSONValue, at path: String) throws(CassetteFormatError) -> EventStreamHeaderValue {
        if case .string(let text) = json { return .string(text) }
        let fields = try CassetteFields(json, at: path)
        let type = try fields.string("type")
        let raw = fields.object["value"]
        func integer<T: FixedWidthInteger>(_: T.Type) throws(CassetteFormatError) -> T {
            guard case .number(let number)? = raw, number.isInteger, let value = T(number.text) else {
                throw CassetteFormatError("\(path).value must be a \(type) integer")
            }
            return value
        }
        let value: EventStreamHeaderValue
        switch type {
        case "boolean":
            guard case .bool(let flag)? = raw else { throw CassetteFormatError("\(path).value must be true or false") }
            value = .bool(flag)
        case "byte": value = .byte(try integer(Int8.self))
        case "short": value = .short(try integer(Int16.self))
        case "integer": value = .integer(try integer(Int32.self))
        case "long": value = .long(try integer(Int64.self))
        case "timestamp": value = .timestamp(try integer(Int64.self))
        case "string":
            guard case .string(let text)? = raw else { throw CassetteFormatError("\(path).value must be a string") }
            value = .string(text)
        case "byte_array":
            guard case .string(let text)? = raw, let bytes = Base64.decode(text) else {
                throw CassetteFormatError("\(path).value must be base64")
            }
            value = .byteArray(bytes)
        case "uuid":
            guard case .string(let text)? = raw, let bytes = unhex(text), bytes.count == 16 else {
                throw CassetteFormatError("\(path).value must be 32 hex digits")
            }
            value = .uuid(bytes)
        default:
            throw CassetteFormatError(
                "\(path).type is \"\(type)\"; expected boolean, byte, short, integer, long, byte_array, string, timestamp or uuid")
        }
        return value
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unhex(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var high: UInt8?
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return high == nil ? out : nil
    }
}
