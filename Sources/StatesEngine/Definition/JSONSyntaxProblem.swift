import JSONCore

/// INVALID_JSON_DESCRIPTION in the words of the Jackson parser behind Step Functions: the
/// message names the token or character and ends with a `[Source: …]` locator, which is also
/// the diagnostic's location.
enum JSONSyntaxProblem {
    static func problem(for error: JSONParseError, in text: String) -> StateMachineDefinition.Problem {
        let bytes = Array(text.utf8)
        var offset = min(error.offset, bytes.count)
        let wordStart = tokenStart(bytes, offset)
        let what: String
        switch error.reason {
        case .unexpectedByte where startsWord(bytes, at: wordStart) && replay(bytes, upTo: wordStart).expected == .value:
            // A bare word, or a literal that stopped matching (`nul}`): Jackson names the word.
            var end = wordStart
            while end < bytes.count, isTokenByte(bytes[end]) { end += 1 }
            offset = end
            let token = String(decoding: bytes[wordStart..<end], as: UTF8.self)
            what = "Unrecognized token '\(token)': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        case .unexpectedByte(let byte):
            let expected = replay(bytes, upTo: offset).expected
            offset += 1
            let shown = byte >= 0x20 && byte < 0x7f ? String(UnicodeScalar(byte)) : "?"
            what = "Unexpected character ('\(shown)' (code \(byte))): \(expected.rawValue)"
        case .controlCharacterInString:
            let byte = offset < bytes.count ? bytes[offset] : 0
            offset += 1
            what = "Illegal unquoted character ((CTRL-CHAR, code \(byte))): has to be escaped using backslash to be included in string value"
        case .unexpectedEnd:
            offset = bytes.count
            if let (open, isObject) = replay(bytes, upTo: bytes.count).open.last {
                what = "Unexpected end-of-input: expected close marker for \(isObject ? "Object" : "Array") (start marker at \(source(text, bytes, open)))"
            } else {
                what = "Unexpected end-of-input"
            }
        default:
            what = error.description
        }
        let location = source(text, bytes, offset)
        return .init(.invalidJSONDescription, "\(what)\n at \(location)", at: location)
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

    private static func startsWord(_ bytes: [UInt8], at index: Int) -> Bool {
        index < bytes.count && ((bytes[index] >= 0x41 && bytes[index] <= 0x5A) || (bytes[index] >= 0x61 && bytes[index] <= 0x7A))
    }

    private static func tokenStart(_ bytes: [UInt8], _ offset: Int) -> Int {
        var start = min(offset, bytes.count)
        while start > 0, isTokenByte(bytes[start - 1]) { start -= 1 }
        return start
    }

    /// What Jackson was expecting where the text went wrong, in its words.
    enum Expectation: String {
        case value = "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        case fieldName = "was expecting double-quote to start field name"
        case colon = "was expecting a colon to separate field name and value"
        case objectComma = "was expecting comma to separate Object entries"
        case arrayComma = "was expecting comma to separate Array entries"
        case end = "Expected space separating root-level values"
    }

    /// Replays the structure of the text up to `index`: what was due there, and the objects
    /// (true) and arrays left open, innermost last, with their offsets.
    static func replay(_ bytes: [UInt8], upTo index: Int) -> (expected: Expectation, open: [(Int, Bool)]) {
        var open: [(Int, Bool)] = []
        var expected = Expectation.value
        var i = 0
        func afterValue() { expected = open.last.map { $0.1 ? .objectComma : .arrayComma } ?? .end }
        while i < min(index, bytes.count) {
            let b = bytes[i]
            switch b {
            case 0x20, 0x0A, 0x0D, 0x09: break
            case UInt8(ascii: "{"): open.append((i, true)); expected = .fieldName
            case UInt8(ascii: "["): open.append((i, false)); expected = .value
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = open.popLast(); afterValue()
            case UInt8(ascii: ":"): expected = .value
            case UInt8(ascii: ","): expected = open.last?.1 == true ? .fieldName : .value
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                if expected == .fieldName { expected = .colon } else { afterValue() }
            default:
                while i + 1 < bytes.count, isTokenByte(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: ".") || bytes[i + 1] == UInt8(ascii: "-") || bytes[i + 1] == UInt8(ascii: "+") { i += 1 }
                afterValue()
            }
            i += 1
        }
        return (expected, open)
    }
}
