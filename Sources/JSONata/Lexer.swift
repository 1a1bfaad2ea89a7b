/// One token of a JSONata expression.
struct Token {
    enum Kind: Equatable {
        case op(String)
        case string(String)
        case number(Double)
        case name(String)
        case variable(String)
        case literal(Literal)
        case regex(pattern: String, flags: String)
        case end
    }

    enum Literal: Equatable { case `true`, `false`, null }

    var kind: Kind
    var position: Int
}

/// Splits an expression into tokens. Whether `/` starts a regular expression or divides
/// depends on what came before it, so the lexer keeps the previous token.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var previous: Token.Kind? = nil

    static let operators: Set<String> = [
        ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^",
        "**", "..", ":=", "!=", "<=", ">=", "~>", "&",
    ]
    private static let twoCharacter: Set<String> = ["**", "..", ":=", "!=", "<=", ">=", "~>"]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    /// Reads a function signature (`<s-n?:s>`) as raw text from `position`, which holds `<`.
    mutating func signature(from position: Int) throws(JSONataError) -> String {
        var depth = 0
        var i = position
        var text = ""
        while let c = at(i) {
            text.unicodeScalars.append(c)
            if c == "<" { depth += 1 }
            if c == ">" {
                depth -= 1
                if depth == 0 {
                    index = i + 1
                    previous = .op(">")
                    return text
                }
            }
            i += 1
        }
        throw JSONataError("S0401", "Type parameter can only be applied to functions and arrays", position: position)
    }

    private func at(_ i: Int) -> Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    /// True when a `/` here would start an operand (so it opens a regular expression).
    private var expectsOperand: Bool {
        switch previous {
        case nil: return true
        case .op(let o)?: return ![")", "]", "}"].contains(o)
        default: return false
        }
    }

    mutating func next() throws(JSONataError) -> Token {
        let token = try scan()
        previous = token.kind
        return token
    }

    private mutating func scan() throws(JSONataError) -> Token {
        // Whitespace and /* comments */.
        while let c = at(index) {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" {
                index += 1
            } else if c == "/", at(index + 1) == "*" {
                let start = index
                index += 2
                while !(at(index) == "*" && at(index + 1) == "/") {
                    guard at(index) != nil else { throw JSONataError("S0106", "Comment has no closing tag", position: start) }
                    index += 1
                }
                index += 2
            } else {
                break
            }
        }
        let start = index
        guard let c = at(index) else { return Token(kind: .end, position: index) }
        if c == "/", expectsOperand { return try regex(start) }
        if let d = at(index + 1) {
            let pair = String(c) + String(d)
            if Self.twoCharacter.contains(pair) {
                // `1..2` is a range; `..` never starts `...`.
                index += 2
                return Token(kind: .op(pair), position: start)
            }
        }
        if Self.operators.contains(String(c)) {
            index += 1
            return Token(kind: .op(String(c)), position: start)
        }
        if c == "\"" || c == "'" { return try string(quote: c, start: start) }
        if ("0"..."9").contains(c) { return try number(start) }
        if c == "`" {
            index += 1
            var name = ""
            while let ch = at(index), ch != "`" {
                name.unicodeScalars.append(ch)
                index += 1
            }
            guard at(index) == "`" else { throw JSONataError("S0105", "Quoted property name must be terminated with a backquote (`)", position: start) }
            index += 1
            return Token(kind: .name(name), position: start)
        }
        // A name runs to the next operator or whitespace.
        var word = ""
        while let ch = at(index) {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "\u{0B}" || ch == "\u{0C}" { break }
            if Self.operators.contains(String(ch)) || ch == "!" || ch == "~" || ch == "\"" || ch == "'" || ch == "`" {
                break
            }
            word.unicodeScalars.append(ch)
            index += 1
        }
        if word.isEmpty {
            // `!` alone, `~` alone: not operators JSONata knows.
            throw JSONataError("S0204", "Unknown operator: \"\(c)\"", position: start)
        }
        if word.hasPrefix("$") { return Token(kind: .variable(String(word.dropFirst())), position: start) }
        switch word {
        case "true": return Token(kind: .literal(.true), position: start)
        case "false": return Token(kind: .literal(.false), position: start)
        case "null": return Token(kind: .literal(.null), position: start)
        case "and", "or", "in": return Token(kind: .op(word), position: start)
        default: return Token(kind: .name(word), position: start)
        }
    }

    private mutating func string(quote: Unicode.Scalar, start: Int) throws(JSONataError) -> Token {
        index += 1
        var out = ""
        while let c = at(index) {
            if c == quote {
                index += 1
                return Token(kind: .string(out), position: start)
            }
            if c == "\\" {
                index += 1
                guard let e = at(index) else { break }
                switch e {
                case "\"", "\\", "/", "'": out.unicodeScalars.append(e)
                case "b": out += "\u{08}"
                case "f": out += "\u{0C}"
                case "n": out += "\n"
                case "r": out += "\r"
                case "t": out += "\t"
                case "u":
                    var code: UInt32 = 0
                    for k in 1...4 {
                        guard let h = at(index + k), let digit = Self.hex(h) else {
                            throw JSONataError("S0104", "The escape sequence \\u must be followed by 4 hex digits", position: index)
                        }
                        code = code * 16 + digit
                    }
                    index += 4
                    // A surrogate pair spells one scalar.
                    if (0xD800..<0xDC00).contains(code), at(index + 1) == "\\", at(index + 2) == "u" {
                        var low: UInt32 = 0
                        var ok = true
                        for k in 3...6 {
                            guard let h = at(index + k), let digit = Self.hex(h) else { ok = false; break }
                            low = low * 16 + digit
                        }
                        if ok, (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        }
                    }
                    out.unicodeScalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    throw JSONataError("S0103", "Unsupported escape sequence: \\\(e)", position: index)
                }
                index += 1
                continue
            }
            out.unicodeScalars.append(c)
            index += 1
        }
        throw JSONataError("S0101", "String literal must be terminated by a matching quote", position: start)
    }

    private static func hex(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    private mutating func number(_ start: Int) throws(JSONataError) -> Token {
        var text = ""
        func digits() { while let c = at(index), ("0"..."9").contains(c) { text.unicodeScalars.append(c); index += 1 } }
        if at(index) == "0" {
            text = "0"
            index += 1
        } else {
            digits()
        }
        if at(index) == ".", let d = at(index + 1), ("0"..."9").contains(d) {
            text += "."
            index += 1
            digits()
        }
        if let e = at(index), e == "e" || e == "E" {
            var look = index + 1
            if let s = at(look), s == "+" || s == "-" { look += 1 }
            if let d = at(look), ("0"..."9").contains(d) {
                for k in index..<look { text.unicodeScalars.append(scalars[k]) }
                index = look
                digits()
            }
        }
        guard let value = Double(text), value.isFinite else {
            throw JSONataError("S0102", "Number out of range: \(text)", position: start)
        }
        return Token(kind: .number(value), position: start)
    }

    private mutating func regex(_ start: Int) throws(JSONataError) -> Token {
        index += 1
        var pattern = ""
        var depth = 0
        while let c = at(index) {
            if c == "/", depth == 0 {
                // Count preceding backslashes: an odd number escapes the slash.
                var backslashes = 0
                var k = index - 1
                while k > start, scalars[k] == "\\" { backslashes += 1; k -= 1 }
                if backslashes % 2 == 0 { break }
            }
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            if c == ")" || c == "]" || c == "}" { depth -= 1 }
            pattern.unicodeScalars.append(c)
            index += 1
        }
        guard at(index) == "/" else { throw JSONataError("S0302", "No terminating / in regular expression", position: start) }
        index += 1
        guard !pattern.isEmpty else { throw JSONataError("S0301", "Empty regular expressions are not allowed", position: start) }
        var flags = ""
        while let c = at(index), c == "i" || c == "m" {
            flags.unicodeScalars.append(c)
            index += 1
        }
        return Token(kind: .regex(pattern: pattern, flags: flags), position: start)
    }
}
