import AWSWire
import JSONCore

/// How a frame's header reads in a cassette: `{"name", "type", "value"}` with the wire type
/// named (the ten of the event-stream spec), so a frame is re-encoded exactly: a `long` stays a
/// `long` even when its value would fit a `short`. Byte arrays are base64, UUIDs 32 hex digits,
/// timestamps milliseconds since the epoch.
enum FrameHeaderCoding {
    static func fileValue(_ header: EventStreamHeader) -> JSONValue {
        let type: String
        let value: JSONValue
        switch header.value {
        case .bool(let flag): (type, value) = ("boolean", .bool(flag))
        case .byte(let number): (type, value) = ("byte", JSONValue(Int(number)))
        case .short(let number): (type, value) = ("short", JSONValue(Int(number)))
        case .integer(let number): (type, value) = ("integer", JSONValue(Int(number)))
        case .long(let number): (type, value) = ("long", .number(JSONNumber(number)))
        case .byteArray(let bytes): (type, value) = ("byte_array", .string(Base64.encode(bytes)))
        case .string(let text): (type, value) = ("string", .string(text))
        case .timestamp(let millis): (type, value) = ("timestamp", .number(JSONNumber(millis)))
        case .uuid(let bytes): (type, value) = ("uuid", .string(hex(bytes)))
        }
        return ["name": .string(header.name), "type": .string(type), "value": value]
    }

    static func header(_ json: JSONValue, at path: String) throws(CassetteFormatError) -> EventStreamHeader {
        let fields = try CassetteFields(json, at: path)
        let name = try fields.string("name")
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
        return EventStreamHeader(name, value)
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
