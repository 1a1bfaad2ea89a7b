import AWSWire
import Determinism
public import JSONCore

/// The `States.*` intrinsic functions of the JSONPath query language, parsed from their call
/// syntax (`States.Format('{} items', $.count)`), with nested calls, JSONPath arguments and
/// string, number, boolean and null literals.
public indirect enum IntrinsicExpression: Sendable, Equatable {
    case call(String, [IntrinsicExpression])
    case path(JSONPath)
    case literal(JSONValue)

    public static let names: Set<String> = [
        "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.ArrayPartition",
        "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
        "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge", "States.MathRandom", "States.MathAdd",
        "States.StringSplit", "States.UUID",
    ]

    public static func looksLikeCall(_ text: String) -> Bool { text.hasPrefix("States.") }

    public static func parse(_ text: String) throws(StatesError) -> IntrinsicExpression {
        var parser = IntrinsicParser(Array(text.unicodeScalars))
        let expression = try parser.expression()
        parser.skipSpaces()
        guard parser.atEnd else { throw StatesError.intrinsic("Unexpected trailing text in '\(text)'") }
        guard case .call = expression else { throw StatesError.intrinsic("'\(text)' is not an intrinsic function call") }
        return expression
    }
}

struct IntrinsicParser {
    let s: [Unicode.Scalar]
    var i = 0

    init(_ s: [Unicode.Scalar]) { self.s = s }

    var atEnd: Bool { i >= s.count }

    mutating func skipSpaces() { while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" { i += 1 } }

    mutating func expression() throws(StatesError) -> IntrinsicExpression {
        skipSpaces()
        guard i < s.count else { throw StatesError.intrinsic("Missing argument") }
        let c = s[i]
        if c == "'" { return .literal(.string(try stringLiteral())) }
        if c == "$" { return .path(try path()) }
        if c == "-" || (c.value >= 0x30 && c.value <= 0x39) { return .literal(try number()) }
        var name = ""
        while i < s.count, s[i] != "(", s[i] != ",", s[i] != ")", s[i] != " " {
            name.unicodeScalars.append(s[i])
            i += 1
        }
        switch name {
        case "true": return .literal(true)
        case "false": return .literal(false)
        case "null": return .literal(.null)
        default: break
        }
        skipSpaces()
        guard i < s.count, s[i] == "(" else { throw StatesError.intrinsic("Unexpected token '\(name)'") }
        guard IntrinsicExpression.names.contains(name) else {
            throw StatesError.intrinsic("Unsupported intrinsic function '\(name)'")
        }
        i += 1
        var args: [IntrinsicExpression] = []
        skipSpaces()
        if i < s.count, s[i] == ")" {
            i += 1
            return .call(name, args)
        }
        while true {
            args.append(try expression())
            skipSpaces()
            guard i < s.count else { throw StatesError.intrinsic("Unterminated call to \(name)") }
            if s[i] == "," {
                i += 1
                continue
            }
            if s[i] == ")" {
                i += 1
                return .call(name, args)
            }
            throw StatesError.intrinsic("Unexpected character in arguments of \(name)")
        }
    }

    mutating func stringLiteral() throws(StatesError) -> String {
        i += 1
        var out = ""
        while i < s.count {
            let c = s[i]
            if c == "\\", i + 1 < s.count {
                // Escaped braces stay literal in States.Format: carried as sentinels.
                switch s[i + 1] {
                case "{": out.unicodeScalars.append(IntrinsicEvaluator.openBrace)
                case "}": out.unicodeScalars.append(IntrinsicEvaluator.closeBrace)
                default: out.unicodeScalars.append(s[i + 1])
                }
                i += 2
                continue
            }
            if c == "'" {
                i += 1
                return out
            }
            out.unicodeScalars.append(c)
            i += 1
        }
        throw StatesError.intrinsic("Unterminated string literal")
    }

    mutating func number() throws(StatesError) -> JSONValue {
        var text = ""
        while i < s.count, "-+.eE0123456789".unicodeScalars.contains(s[i]) {
            text.unicodeScalars.append(s[i])
            i += 1
        }
        guard let n = JSONNumber(text: text) else { throw StatesError.intrinsic("Invalid number '\(text)'") }
        return .number(n)
    }

    mutating func path() throws(StatesError) -> JSONPath {
        var text = ""
        var depth = 0
        var quote = false
        while i < s.count {
            let c = s[i]
            if quote {
                if c == "'" { quote = false }
            } else if c == "'" {
                quote = true
            } else if c == "[" || c == "(" {
                depth += 1
            } else if c == "]" || (c == ")" && depth > 0) {
                depth -= 1
            } else if depth == 0, c == "," || c == ")" || c == " " {
                break
            }
            text.unicodeScalars.append(c)
            i += 1
        }
        do { return try JSONPath(text) } catch { throw StatesError.intrinsic("Invalid path '\(text)': \(error.message)") }
    }
}

/// Evaluates intrinsic calls.
public struct IntrinsicEvaluator {
    public var input: JSONValue
    public var context: JSONValue
    public var random: () -> UInt64

    public init(input: JSONValue, context: JSONValue, random: @escaping () -> UInt64) {
        self.input = input
        self.context = context
        self.random = random
    }

    /// Private-use stand-ins for `\{` and `\}` inside string literals.
    static let openBrace: Unicode.Scalar = "\u{E000}"
    static let closeBrace: Unicode.Scalar = "\u{E001}"

    static func restoringBraces(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == openBrace || $0 == closeBrace }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            out.unicodeScalars.append(c == openBrace ? "{" : c == closeBrace ? "}" : c)
        }
        return out
    }

    public func evaluate(_ expression: IntrinsicExpression) throws(StatesError) -> JSONValue {
        switch expression {
        case .literal(.string(let s)): return .string(Self.restoringBraces(s))
        case .literal(let v): return v
        case .path(let p):
            guard let v = p.evaluate(input: input, context: context) else {
                throw StatesError.runtime("The JSONPath '\(p.text)' could not be found in the input '\(input.jsonString)'")
            }
            return v
        case .call(let name, let argExpressions):
            var args: [JSONValue] = []
            for (index, a) in argExpressions.enumerated() {
                // The Format template keeps its escaped braces until substitution is done.
                if name == "States.Format", index == 0, case .literal(let template) = a { args.append(template) } else { args.append(try evaluate(a)) }
            }
            return try call(name, args)
        }
    }

    func fail(_ name: String, _ message: String) -> StatesError { .intrinsic("\(name): \(message)") }

    /// An argument or result past what the function can produce (more than 1,000 range items,
    /// an integer out of range): the execution fails with `States.Runtime`, as AWS fails
    /// `States.ArrayRange` past its 1,000 items.
    func beyondLimit(_ name: String, _ message: String) -> StatesError { .runtime("\(name): \(message)") }

    /// The most items `States.ArrayRange` makes ("The new array can contain up to 1000
    /// elements", Intrinsic functions for JSONPath states in Step Functions).
    static let maximumRangeItems = 1_000
    /// The longest string `States.Base64Encode`, `States.Base64Decode` and `States.Hash` take,
    /// in UTF-16 units (the same page: "a data string of up to 10,000 characters").
    static let maximumStringLength = 10_000

    func limitedString(_ name: String, _ s: String) throws(StatesError) -> String {
        guard s.utf16.count <= Self.maximumStringLength else {
            throw beyondLimit(name, "the input string is longer than \(Self.maximumStringLength) characters")
        }
        return s
    }

    func count(_ name: String, _ args: [JSONValue], _ range: ClosedRange<Int>) throws(StatesError) {
        guard range.contains(args.count) else {
            throw fail(name, "expected \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)") arguments, got \(args.count)")
        }
    }

    func string(_ name: String, _ v: JSONValue) throws(StatesError) -> String {
        guard case .string(let s) = v else { throw fail(name, "expected a string argument, got \(v.typeName)") }
        return s
    }

    func array(_ name: String, _ v: JSONValue) throws(StatesError) -> [JSONValue] {
        guard case .array(let a) = v else { throw fail(name, "expected an array argument, got \(v.typeName)") }
        return a
    }

    /// Numbers become integers as Java's `Math.round` does (half up). One beyond a 64-bit
    /// integer (`1e300`, `9223372036854775808`) is refused, never converted with a trap.
    func integer(_ name: String, _ v: JSONValue) throws(StatesError) -> Int {
        guard case .number(let n) = v else { throw fail(name, "expected a number argument, got \(v.typeName)") }
        if n.isInteger, let i = Int(n.text) { return i }
        guard let rounded = Int(exactly: (n.doubleValue + 0.5).rounded(.down)) else {
            throw beyondLimit(name, "the number \(n.text) is not an integer within the range of a 64-bit integer")
        }
        return rounded
    }

    func call(_ name: String, _ args: [JSONValue]) throws(StatesError) -> JSONValue {
        switch name {
        case "States.Format":
            guard let first = args.first else { throw fail(name, "expected at least 1 argument") }
            let template = try string(name, first)
            var out = ""
            var rest = args.dropFirst().makeIterator()
            var chars = Array(template.unicodeScalars)[...]
            while let c = chars.first {
                chars = chars.dropFirst()
                if c == "{", chars.first == "}" {
                    chars = chars.dropFirst()
                    guard let arg = rest.next() else { throw fail(name, "the template has more {} than arguments") }
                    // Java's text of the value, not JSON: `{a=1, b=[x]}`, `1.0` (JavaText).
                    JavaText.append(arg, to: &out)
                } else {
                    // Escaped braces become braces here, in the template only: an argument's
                    // text is never rewritten.
                    out.unicodeScalars.append(c == Self.openBrace ? "{" : c == Self.closeBrace ? "}" : c)
                }
            }
            guard rest.next() == nil else { throw fail(name, "more arguments than {} in the template") }
            return .string(out)
        case "States.StringToJson":
            try count(name, args, 1...1)
            let text = try string(name, args[0])
            if text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) { return .null }
            do { return try JSONParser.parse(text) } catch { throw fail(name, "invalid JSON: \(error.description)") }
        case "States.JsonToString":
            try count(name, args, 1...1)
            return .string(args[0].jsonString)
        case "States.Array":
            return .array(args)
        case "States.ArrayPartition":
            try count(name, args, 2...2)
            let a = try array(name, args[0])
            let size = try integer(name, args[1])
            guard size > 0 else { throw fail(name, "the chunk size must be positive") }
            return .array(stride(from: 0, to: a.count, by: size).map { .array(Array(a[$0..<min($0 + size, a.count)])) })
        case "States.ArrayContains":
            try count(name, args, 2...2)
            return .bool(try array(name, args[0]).contains(args[1]))
        case "States.ArrayRange":
            try count(name, args, 3...3)
            let (start, end, step) = (try integer(name, args[0]), try integer(name, args[1]), try integer(name, args[2]))
            guard step != 0 else { throw fail(name, "step must not be 0") }
            guard step > 0 ? start <= end : start >= end else { return .array([]) }
            // Counted before anything is built; the span's magnitude cannot overflow.
            let (span, overflow) = end.subtractingReportingOverflow(start)
            let items = overflow ? UInt.max : span.magnitude / step.magnitude + 1
            guard items <= Self.maximumRangeItems else {
                throw beyondLimit(name, "the range would have more than \(Self.maximumRangeItems) items")
            }
            return .array((0..<Int(items)).map { JSONValue(start + $0 * step) })
        case "States.ArrayGetItem":
            try count(name, args, 2...2)
            let a = try array(name, args[0])
            let index = try integer(name, args[1])
            guard a.indices.contains(index) else { throw fail(name, "index \(index) is out of bounds") }
            return a[index]
        case "States.ArrayLength":
            try count(name, args, 1...1)
            return JSONValue(try array(name, args[0]).count)
        case "States.ArrayUnique":
            try count(name, args, 1...1)
            var seen: Set<JSONValue> = []
            var unique: [JSONValue] = []
            for v in try array(name, args[0]) where seen.insert(v).inserted { unique.append(v) }
            return .array(unique)
        case "States.Base64Encode":
            try count(name, args, 1...1)
            return .string(Base64.encode(Array(try limitedString(name, try string(name, args[0])).utf8)))
        case "States.Base64Decode":
            try count(name, args, 1...1)
            guard let bytes = Base64.decode(try limitedString(name, try string(name, args[0]))) else { throw fail(name, "invalid base64 input") }
            return .string(String(decoding: bytes, as: UTF8.self))
        case "States.Hash":
            try count(name, args, 2...2)
            let data: [UInt8]
            if case .string(let s) = args[0] { data = Array(try limitedString(name, s).utf8) } else { data = Array(try limitedString(name, args[0].jsonString).utf8) }
            let algorithm = try string(name, args[1])
            guard let digest = Digest.hex(algorithm: algorithm, data) else {
                throw StatesError.intrinsic("\(name): unsupported hash algorithm '\(algorithm)' (MD5, SHA-1, SHA-256, SHA-384, SHA-512)")
            }
            return .string(digest)
        case "States.JsonMerge":
            try count(name, args, 3...3)
            guard case .object(var left) = args[0], case .object(let right) = args[1] else { throw fail(name, "expected two objects") }
            guard args[2] == false else { throw fail(name, "deep merging is not supported") }
            for member in right.storage { left[member.key] = member.value }
            return .object(left)
        case "States.MathRandom":
            try count(name, args, 2...3)
            let (start, end) = (try integer(name, args[0]), try integer(name, args[1]))
            guard end > start else { throw fail(name, "the end must be greater than the start") }
            var generator = args.count == 3 ? SeededRandom(seed: UInt64(bitPattern: Int64(try integer(name, args[2])))) : SeededRandom(seed: random())
            let (width, overflow) = end.subtractingReportingOverflow(start)
            guard !overflow else { throw beyondLimit(name, "the range from start to end is beyond a 64-bit integer") }
            return JSONValue(start + generator.next(below: width))
        case "States.MathAdd":
            try count(name, args, 2...2)
            let (sum, overflow) = try integer(name, args[0]).addingReportingOverflow(try integer(name, args[1]))
            guard !overflow else { throw beyondLimit(name, "the sum is beyond the range of a 64-bit integer") }
            return JSONValue(sum)
        case "States.StringSplit":
            try count(name, args, 2...2)
            let text = try string(name, args[0])
            let delimiters = Set(try string(name, args[1]).unicodeScalars)
            var parts: [JSONValue] = []
            var current = ""
            for c in text.unicodeScalars {
                if delimiters.contains(c) {
                    if !current.isEmpty { parts.append(.string(current)) }
                    current = ""
                } else {
                    current.unicodeScalars.append(c)
                }
            }
            if !current.isEmpty { parts.append(.string(current)) }
            return .array(parts)
        case "States.UUID":
            try count(name, args, 0...0)
            var generator = SeededRandom(seed: random())
            return .string(generator.uuidV4())
        default:
            throw fail(name, "unsupported")
        }
    }
}
