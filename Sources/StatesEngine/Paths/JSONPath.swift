public import JSONCore

/// JSONPath as Step Functions evaluates it (Jayway semantics): `$`/`$$` roots, `.name`,
/// `['name']`, `[n]` (negative from the end), `[*]`/`.*`, slices `[a:b]`, unions `[a,b]`,
/// descendants `..name`, and filters `[?(@.x op value)]`.
///
/// A *definite* path (no wildcard, slice, union, descendant or filter) yields one value or
/// fails; an indefinite one yields a list of every match (possibly empty).
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Root: Sendable, Equatable { case input, context, variable(String) }

    public enum Segment: Sendable, Equatable {
        case key(String)
        case index(Int)
        case wildcard
        case slice(Int?, Int?, Int?)
        case union([Segment])
        case descendant(String?)
        case filter(FilterExpression)
    }

    public let root: Root
    public let segments: [Segment]
    public let text: String

    public var description: String { text }

    public var isDefinite: Bool {
        segments.allSatisfy { if case .key = $0 { return true } else if case .index = $0 { return true } else { return false } }
    }

    public struct ParseError: Error, Sendable, Equatable { public let message: String }

    public init(_ text: String) throws(ParseError) {
        self.text = text
        var s = Substring(text)
        if s.hasPrefix("$$") {
            root = .context
            s = s.dropFirst(2)
        } else if s.hasPrefix("$"), let first = s.dropFirst().first, first.isLetter || first == "_" {
            // `$name`: a workflow variable.
            s = s.dropFirst()
            root = .variable(Self.takeName(&s))
        } else if s.hasPrefix("$") {
            root = .input
            s = s.dropFirst()
        } else {
            throw ParseError(message: "Path must start with '$'")
        }
        var parsed: [Segment] = []
        while !s.isEmpty {
            if s.hasPrefix("..") {
                s = s.dropFirst(2)
                if s.hasPrefix("[") {
                    parsed.append(.descendant(nil))
                    continue
                }
                let name = Self.takeName(&s)
                parsed.append(.descendant(name == "*" ? nil : name))
            } else if s.hasPrefix(".") {
                s = s.dropFirst()
                let name = Self.takeName(&s)
                guard !name.isEmpty else { throw ParseError(message: "Path must not end with a '.' or '..'") }
                parsed.append(name == "*" ? .wildcard : .key(name))
            } else if s.hasPrefix("[") {
                guard let close = Self.matchingBracket(s) else { throw ParseError(message: "Unterminated '[' in path") }
                let inner = s[s.index(after: s.startIndex)..<close].trimmingSpaces()
                s = s[s.index(after: close)...]
                parsed.append(try Self.bracket(inner))
            } else {
                throw ParseError(message: "Unexpected character in path")
            }
        }
        segments = parsed
    }

    static func takeName(_ s: inout Substring) -> String {
        var end = s.startIndex
        while end != s.endIndex, s[end] != ".", s[end] != "[" { end = s.index(after: end) }
        let name = String(s[..<end])
        s = s[end...]
        return name
    }

    static func matchingBracket(_ s: Substring) -> Substring.Index? {
        var depth = 0
        var quote: Character? = nil
        var i = s.startIndex
        while i != s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == "\\" { i = s.index(after: i) } else if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "[" || c == "(" {
                depth += 1
            } else if c == "]" || c == ")" {
                depth -= 1
                if depth == 0, c == "]" { return i }
            }
            if i != s.endIndex { i = s.index(after: i) }
        }
        return nil
    }

    static func bracket(_ inner: Substring) throws(ParseError) -> Segment {
        if inner == "*" { return .wildcard }
        if inner.hasPrefix("?") {
            var body = inner.dropFirst().trimmingSpaces()
            if body.hasPrefix("("), body.hasSuffix(")") { body = body.dropFirst().dropLast() }
            return .filter(try FilterExpression(String(body)))
        }
        if inner.hasPrefix("'") || inner.hasPrefix("\"") {
            let parts = splitTopLevel(inner, on: ",")
            let keys = parts.map { part -> String in
                let t = part.trimmingSpaces()
                return String(t.dropFirst().dropLast())
            }
            return keys.count == 1 ? .key(keys[0]) : .union(keys.map { .key($0) })
        }
        if inner.contains(":") {
            let bounds = inner.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
            func int(_ t: Substring?) throws(ParseError) -> Int? {
                guard let t, !t.isEmpty else { return nil }
                guard let v = Int(t) else { throw ParseError(message: "Invalid slice '\(inner)'") }
                return v
            }
            return .slice(try int(bounds.first), try int(bounds.count > 1 ? bounds[1] : nil), try int(bounds.count > 2 ? bounds[2] : nil))
        }
        let parts = splitTopLevel(inner, on: ",")
        var indexes: [Segment] = []
        for part in parts {
            guard let i = Int(part.trimmingSpaces()) else { throw ParseError(message: "Invalid index '\(inner)'") }
            indexes.append(.index(i))
        }
        return indexes.count == 1 ? indexes[0] : .union(indexes)
    }

    static func splitTopLevel(_ s: Substring, on separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var quote: Character? = nil
        var start = s.startIndex
        var i = s.startIndex
        while i != s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == separator {
                parts.append(s[start..<i])
                start = s.index(after: i)
            }
            i = s.index(after: i)
        }
        parts.append(s[start...])
        return parts
    }

    /// Every match, in document order.
    public func matches(input: JSONValue, context: JSONValue) -> [JSONValue] {
        var current: [JSONValue]
        switch root {
        case .input: current = [input]
        case .context: current = [context]
        case .variable(let name):
            guard let value = VariableScope.current?.lookup(name) else { return [] }
            current = [value]
        }
        for segment in segments {
            var next: [JSONValue] = []
            for value in current { Self.apply(segment, to: value, into: &next) }
            current = next
        }
        return current
    }

    /// A definite path's value, or nil when it does not exist; an indefinite path's matches as
    /// an array.
    public func evaluate(input: JSONValue, context: JSONValue) -> JSONValue? {
        let found = matches(input: input, context: context)
        if isDefinite { return found.first }
        return .array(found)
    }

    static func apply(_ segment: Segment, to value: JSONValue, into out: inout [JSONValue]) {
        switch segment {
        case .key(let k):
            if let v = value[k] { out.append(v) }
        case .index(let i):
            if case .array(let a) = value {
                let j = i < 0 ? a.count + i : i
                if a.indices.contains(j) { out.append(a[j]) }
            }
        case .wildcard:
            switch value {
            case .array(let a): out.append(contentsOf: a)
            case .object(let o): out.append(contentsOf: o.storage.map(\.value))
            default: break
            }
        case .slice(let from, let to, let step):
            guard case .array(let a) = value else { return }
            let n = a.count
            let step = step ?? 1
            guard step > 0 else { return }
            var start = from ?? 0
            var end = to ?? n
            if start < 0 { start = max(0, n + start) }
            if end < 0 { end = max(0, n + end) }
            start = min(start, n)
            end = min(end, n)
            var i = start
            while i < end {
                out.append(a[i])
                // A step from the definition may be huge: past the end is the end.
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        case .union(let parts):
            for part in parts { apply(part, to: value, into: &out) }
        case .descendant(let name):
            descend(value, name: name, into: &out)
        case .filter(let expression):
            switch value {
            case .array(let a): out.append(contentsOf: a.filter { expression.matches($0) })
            case .object(let o): out.append(contentsOf: o.storage.map(\.value).filter { expression.matches($0) })
            default: break
            }
        }
    }

    static func descend(_ value: JSONValue, name: String?, into out: inout [JSONValue]) {
        switch value {
        case .object(let o):
            for member in o.storage {
                if name == nil || member.key == name { out.append(member.value) }
                descend(member.value, name: name, into: &out)
            }
        case .array(let a):
            for element in a {
                if name == nil { out.append(element) }
                descend(element, name: name, into: &out)
            }
        default: break
        }
    }

    /// Jayway's bracket form of a definite path (`$['a'][0]`), as AWS quotes it in errors.
    public var bracketNotation: String {
        var out: String
        switch root {
        case .input: out = "$"
        case .context: out = "$$"
        case .variable(let name): out = "$" + name
        }
        for segment in segments {
            switch segment {
            case .key(let k): out += "['\(k)']"
            case .index(let i): out += "[\(i)]"
            default: return text
            }
        }
        return out
    }
}

/// `@.field op literal` (or just `@.field`, existence), with `&&` and `||`.
public struct FilterExpression: Sendable, Equatable {
    indirect enum Node: Sendable, Equatable {
        case exists(JSONPath)
        case compare(JSONPath, String, JSONValue)
        case and(Node, Node)
        case or(Node, Node)
    }

    let node: Node

    init(_ text: String) throws(JSONPath.ParseError) {
        node = try Self.parse(Substring(text).trimmingSpaces())
    }

    static func parse(_ text: Substring) throws(JSONPath.ParseError) -> Node {
        let ors = JSONPath.splitLogical(text, "||")
        if ors.count > 1 {
            var node = try parse(ors[0])
            for part in ors.dropFirst() { node = .or(node, try parse(part)) }
            return node
        }
        let ands = JSONPath.splitLogical(text, "&&")
        if ands.count > 1 {
            var node = try parse(ands[0])
            for part in ands.dropFirst() { node = .and(node, try parse(part)) }
            return node
        }
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if let range = text.firstRange(of: op) {
                let left = text[..<range.lowerBound].trimmingSpaces()
                let right = text[range.upperBound...].trimmingSpaces()
                guard left.hasPrefix("@") else { throw JSONPath.ParseError(message: "Invalid filter '\(text)'") }
                let path = try JSONPath("$" + left.dropFirst())
                var literal = String(right)
                if literal.hasPrefix("'"), literal.hasSuffix("'"), literal.count >= 2 { literal = "\"" + literal.dropFirst().dropLast() + "\"" }
                guard let value = try? JSONParser.parse(literal) else { throw JSONPath.ParseError(message: "Invalid filter value '\(right)'") }
                return .compare(path, op, value)
            }
        }
        guard text.hasPrefix("@") else { throw JSONPath.ParseError(message: "Invalid filter '\(text)'") }
        return .exists(try JSONPath("$" + text.dropFirst()))
    }

    func matches(_ value: JSONValue) -> Bool { Self.eval(node, value) }

    static func eval(_ node: Node, _ value: JSONValue) -> Bool {
        switch node {
        case .exists(let path): return !path.matches(input: value, context: .null).isEmpty
        case .and(let a, let b): return eval(a, value) && eval(b, value)
        case .or(let a, let b): return eval(a, value) || eval(b, value)
        case .compare(let path, let op, let literal):
            guard let actual = path.matches(input: value, context: .null).first else { return false }
            switch (actual, literal) {
            case (.number(let a), .number(let b)):
                switch op {
                case "==": return a == b
                case "!=": return a != b
                case "<": return a < b
                case "<=": return a <= b
                case ">": return b < a
                default: return b <= a
                }
            case (.string(let a), .string(let b)):
                switch op {
                case "==": return a == b
                case "!=": return a != b
                case "<": return a < b
                case "<=": return a <= b
                case ">": return a > b
                default: return a >= b
                }
            default:
                return op == "==" ? actual == literal : op == "!=" ? actual != literal : false
            }
        }
    }
}

extension JSONPath {
    static func splitLogical(_ s: Substring, _ op: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = s
        while let range = rest.firstRange(of: op) {
            parts.append(rest[..<range.lowerBound].trimmingSpaces())
            rest = rest[range.upperBound...]
        }
        parts.append(rest.trimmingSpaces())
        return parts
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
