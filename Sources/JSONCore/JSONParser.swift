/// Why a document was rejected, with where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case unexpectedByte(UInt8)
        case invalidNumber
        case invalidEscape
        case invalidUnicodeEscape
        case controlCharacterInString
        case invalidUTF8
        case trailingData
        case nestingTooDeep(limit: Int)
        case emptyDocument
    }

    public let reason: Reason
    /// Zero-based byte offset of the offending byte.
    public let offset: Int
    /// One-based line and column (columns count bytes), as Jackson reports them.
    public let line: Int
    public let column: Int

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "Unexpected end of input"
        case .unexpectedByte(let b):
            what = (b >= 0x20 && b < 0x7f) ? "Unexpected character '\(Character(UnicodeScalar(b)))'" : "Unexpected byte 0x\(String(b, radix: 16))"
        case .invalidNumber: what = "Invalid number"
        case .invalidEscape: what = "Invalid escape sequence"
        case .invalidUnicodeEscape: what = "Invalid \\u escape"
        case .controlCharacterInString: what = "Unescaped control character in string"
        case .invalidUTF8: what = "Invalid UTF-8"
        case .trailingData: what = "Unexpected data after the JSON value"
        case .nestingTooDeep(let limit): what = "Nesting deeper than \(limit)"
        case .emptyDocument: what = "No content to map due to end-of-input"
        }
        return "\(what) at line \(line), column \(column)"
    }
}

/// A strict RFC 8259 parser working on bytes.
///
/// Choices for the cases RFC 8259 leaves open (JSONTestSuite's `i_` files):
/// - a leading UTF-8 byte-order mark is skipped, as Jackson does;
/// - invalid UTF-8 is rejected (Jackson rejects it too); UTF-16/32 input is therefore rejected;
/// - an escaped lone surrogate (`"\uD800"`) becomes U+FFFD, since a Swift `String` cannot hold it;
/// - numbers of any size are accepted and keep their text (`1e999` reads as infinity only when
///   converted to a `Double`);
/// - nesting deeper than `maximumDepth` (default 1000, Jackson's default) is rejected;
/// - duplicate keys: the last value wins, at the position of the first.
public struct JSONParser {
    public var maximumDepth: Int

    public init(maximumDepth: Int = 1000) { self.maximumDepth = maximumDepth }

    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(Array(text.utf8))
    }

    public func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            parseBuffer(buffer)
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { parseBuffer($0) }.get()
    }

    private func parseBuffer(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var reader = JSONReader(bytes: buffer, maximumDepth: maximumDepth)
        do {
            return .success(try reader.readDocument())
        } catch {
            return .failure(error)
        }
    }
}

struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    func error(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return JSONParseError(reason: reason, offset: offset, line: line, column: offset - lineStart + 1)
    }

    mutating func readDocument() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < bytes.count else { throw error(.emptyDocument) }
        let value = try readValue()
        skipWhitespace()
        guard position == bytes.count else { throw error(.trailingData) }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func readValue() throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject()
        case UInt8(ascii: "["): return try readArray()
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        case let other: throw error(.unexpectedByte(other))
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount {
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[position] == start[i] else { throw error(.unexpectedByte(bytes[position])) }
            position += 1
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maximumDepth { throw error(.nestingTooDeep(limit: maximumDepth)) }
    }

    mutating func readObject() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        var object = JSONObject(minimumCapacity: 4)
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[position] == UInt8(ascii: "\"") else { throw error(.unexpectedByte(bytes[position])) }
            let key = try readString()
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            guard bytes[position] == UInt8(ascii: ":") else { throw error(.unexpectedByte(bytes[position])) }
            position += 1
            skipWhitespace()
            let value = try readValue()
            // A duplicate key keeps its first position and takes the last value.
            if object.position(of: key) != nil { object[key] = value } else { object.append(key, value) }
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(object)
            case let other: throw error(.unexpectedByte(other))
            }
        }
    }

    mutating func readArray() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        var array: [JSONValue] = []
        array.reserveCapacity(4)
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try readValue())
            skipWhitespace()
            guard position < bytes.count else { throw error(.unexpectedEnd) }
            switch bytes[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(array)
            case let other: throw error(.unexpectedByte(other))
            }
        }
    }

    mutating func readNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var scanner = JSONNumberScanner(bytes: bytes, position: position)
        guard let end = scanner.scan() else { throw error(.invalidNumber, at: scanner.position) }
        position = end
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        return JSONNumber(validatedText: text)
    }

    /// Reads a string starting at its opening quote. The fast path (no escapes, ASCII) builds
    /// the String straight from the input bytes.
    mutating func readString() throws(JSONParseError) -> String {
        position += 1
        let start = position
        var ascii = true
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let s = String(validating: slice, as: UTF8.self) else { throw error(.invalidUTF8, at: start) }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error(.controlCharacterInString) }
            if b >= 0x80 { ascii = false }
            position += 1
        }
        guard position < bytes.count else { throw error(.unexpectedEnd) }
        // Slow path: escapes present. Copy what we have, then decode the rest byte by byte.
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        out.reserveCapacity(out.count + 16)
        while position < bytes.count {
            let b = bytes[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw error(.invalidUTF8, at: start) }
                return s
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw error(.unexpectedEnd) }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): appendScalar(try readUnicodeEscape(), to: &out)
                default: throw error(.invalidEscape, at: position - 1)
                }
            default:
                if b < 0x20 { throw error(.controlCharacterInString) }
                out.append(b)
                position += 1
            }
        }
        throw error(.unexpectedEnd)
    }

    mutating func readHex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error(.invalidUnicodeEscape)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    mutating func readUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try readHex4()
        if (0xD800...0xDBFF).contains(first) {
            // A high surrogate: pair it with a following \uDC00-\uDFFF escape when there is one.
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                let save = position
                position += 2
                let second = try readHex4()
                if (0xDC00...0xDFFF).contains(second) {
                    let scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    return Unicode.Scalar(scalar) ?? "\u{FFFD}"
                }
                position = save
            }
            return "\u{FFFD}"
        }
        if (0xDC00...0xDFFF).contains(first) { return "\u{FFFD}" }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    func appendScalar(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        UTF8.encode(scalar) { out.append($0) }
    }
}
