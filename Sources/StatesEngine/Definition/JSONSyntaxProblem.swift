import JSONCore

/// INVALID_JSON_DESCRIPTION in the words of the Jackson parser behind Step Functions: the
/// message names the token or character and ends with a `[Source: …]` locator, which is also
/// the diagnostic's location.
enum JSONSyntaxProblem {
    static func problem(for error: JSONParseError, in text: String) -> StateMachineDefinition.Problem {
        let bytes = Array(text.utf8)
        var offset = min(error.offset, bytes.count)
        let what: String
        switch error.reason {
        case .unexpectedByte(let byte) where isTokenByte(byte) && expectsValue(bytes, before: tokenStart(bytes, offset)):
            let start = tokenStart(bytes, offset)
            var end = start
            while end < bytes.count, isTokenByte(bytes[end]) { end += 1 }
            offset = end
            let token = String(decoding: bytes[start..<end], as: UTF8.self)
            what = "Unrecognized token '\(token)': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        case .unexpectedByte(let byte):
            offset += 1
            let shown = byte >= 0x20 && byte < 0x7f ? String(UnicodeScalar(byte)) : "?"
            what = "Unexpected character ('\(shown)' (code \(byte)))"
        case .unexpectedEnd:
            offset = bytes.count
            if let (open, isObject) = innermostOpen(bytes) {
                what = "Unexpected end-of-input: expected close marker for \(isObject ? "Object" : "Array") (start marker at \(source(text, bytes, open)))"
            } else {
                what = "Unexpected end-of-input"
            }
        default:
            what = error.description
        }
        let location = source(text, bytes, offset)
        return .init(code: "INVALID_JSON_DESCRIPTION", message: "\(what)\n at \(location)", location: location)
    }

    /// `[Source: (String)"…"; line: L, column: C]` for the byte just before `offset`'s column.
    private static func source(_ text: String, _ bytes: [UInt8], _ offset: Int) -> String {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        let quoted: String
        if text.count > 500 {
            quoted = "\"\(text.prefix(500))\"[truncated \(text.count - 500) chars]"
        } else {
            quoted = "\"\(text)\""
        }
        return "[Source: (String)\(quoted); line: \(line), column: \(column)]"
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_") || b == UInt8(ascii: "$")
    }

    private static func tokenStart(_ bytes: [UInt8], _ offset: Int) -> Int {
        var start = min(offset, bytes.count)
        while start > 0, isTokenByte(bytes[start - 1]) { start -= 1 }
        return start
    }

    /// Whether a value (rather than a field name, colon or comma) was due at `index`.
    private static func expectsValue(_ bytes: [UInt8], before index: Int) -> Bool {
        var i = index - 1
        while i >= 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i -= 1 }
        return i < 0 || [UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: ",")].contains(bytes[i])
    }

    /// The offset of the innermost object or array left open at the end of the text.
    private static func innermostOpen(_ bytes: [UInt8]) -> (Int, Bool)? {
        var stack: [(Int, Bool)] = []
        var inString = false
        var escaped = false
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): stack.append((i, true))
            case UInt8(ascii: "["): stack.append((i, false))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = stack.popLast()
            default: break
            }
        }
        return stack.last
    }
}
