/// Serializes JSON the way AWS services write it: compact (no spaces), members in order, `/`
/// left unescaped, non-ASCII as raw UTF-8, and only `"`, `\` and control characters escaped.
public struct JSONWriter {
    public var output: [UInt8]

    public init(capacity: Int = 256) {
        output = []
        output.reserveCapacity(capacity)
    }

    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.output
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendASCII("null")
        case .bool(let b): appendASCII(b ? "true" : "false")
        case .number(let n): output.append(contentsOf: n.text.utf8)
        case .string(let s): writeString(s)
        case .array(let array):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in array {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            var first = true
            for member in object.storage {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                writeString(member.key)
                output.append(UInt8(ascii: ":"))
                write(member.value)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always)
    mutating func appendASCII(_ s: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public mutating func writeString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        var s = string
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if runStart < i { output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                switch b {
                case 0x22: appendASCII("\\\"")
                case 0x5C: appendASCII("\\\\")
                case 0x0A: appendASCII("\\n")
                case 0x0D: appendASCII("\\r")
                case 0x09: appendASCII("\\t")
                case 0x08: appendASCII("\\b")
                case 0x0C: appendASCII("\\f")
                default:
                    appendASCII("\\u00")
                    output.append(Self.hexDigits[Int(b >> 4)])
                    output.append(Self.hexDigits[Int(b & 0xF)])
                }
            }
            if runStart < utf8.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Compact JSON bytes, as AWS writes them.
    public var jsonBytes: [UInt8] { JSONWriter.bytes(self) }
    /// Compact JSON text, as AWS writes it.
    public var jsonString: String { JSONWriter.string(self) }

    /// Indented JSON for people (admin API, CLI output, cassette files); never used on the
    /// AWS wire.
    public func prettyPrinted(indent: Int = 2) -> String {
        String(decoding: prettyBytes(indent: indent), as: UTF8.self)
    }

    /// `prettyPrinted` as UTF-8 bytes, for files.
    public func prettyBytes(indent: Int = 2) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.writePretty(self, level: 0, indent: indent)
        return writer.output
    }
}

extension JSONWriter {
    /// Writes `value` indented by `indent` spaces a level, members one to a line, `"key": value`;
    /// scalars and empty containers as `write` would.
    mutating func writePretty(_ value: JSONValue, level: Int, indent: Int) {
        switch value {
        case .array(let array) where !array.isEmpty:
            appendASCII("[\n")
            for (i, element) in array.enumerated() {
                pad(level + 1, indent)
                writePretty(element, level: level + 1, indent: indent)
                if i + 1 < array.count { appendASCII(",\n") } else { appendASCII("\n") }
            }
            pad(level, indent)
            output.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            appendASCII("{\n")
            for (i, member) in object.storage.enumerated() {
                pad(level + 1, indent)
                writeString(member.key)
                appendASCII(": ")
                writePretty(member.value, level: level + 1, indent: indent)
                if i + 1 < object.count { appendASCII(",\n") } else { appendASCII("\n") }
            }
            pad(level, indent)
            output.append(UInt8(ascii: "}"))
        default:
            write(value)
        }
    }

    private mutating func pad(_ level: Int, _ indent: Int) {
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
    }
}
