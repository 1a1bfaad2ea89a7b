import Determinism
import JSONCore

/// Choice rules of the JSONPath query language: every comparison operator with its `…Path`
/// form, the `Is…` tests, and `And`/`Or`/`Not`.
struct ChoiceEvaluator {
    let input: JSONValue
    let context: JSONValue

    static let comparators = [
        "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches",
        "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
        "BooleanEquals", "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals",
        "TimestampGreaterThanEquals", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
    ]

    func path(_ text: String) throws(StatesError) -> JSONPath {
        do { return try JSONPath(text) } catch { throw StatesError.runtime("Invalid path '\(text)': \(error.message)") }
    }

    func matches(_ rule: JSONValue) throws(StatesError) -> Bool {
        guard case .object(let o) = rule else { return false }
        if let all = o["And"]?.arrayValue {
            for r in all where !(try matches(r)) { return false }
            return true
        }
        if let any = o["Or"]?.arrayValue {
            for r in any where try matches(r) { return true }
            return false
        }
        if let not = o["Not"] { return !(try matches(not)) }
        guard let variableText = o["Variable"]?.stringValue else { throw StatesError.runtime("A choice rule must have a Variable") }
        let variable = try path(variableText)
        let value = variable.evaluate(input: input, context: context)
        for key in o.keys {
            var op = key
            var expected: JSONValue? = o[key]
            if key.hasSuffix("Path"), Self.comparators.contains(String(key.dropLast(4))) {
                op = String(key.dropLast(4))
                guard let text = o[key]?.stringValue else { continue }
                let p = try path(text)
                expected = p.evaluate(input: input, context: context)
                guard expected != nil else {
                    throw StatesError.runtime("Invalid path '\(text)': The choice state's condition path references an invalid value.")
                }
            }
            guard Self.comparators.contains(op), let operand = expected else { continue }
            if op == "IsPresent" { return (value != nil) == (operand.boolValue ?? true) }
            guard let actual = value else {
                throw StatesError.runtime("Invalid path '\(variableText)': The choice state's condition path references an invalid value.")
            }
            return compare(op, actual, operand)
        }
        throw StatesError.runtime("A choice rule has no comparison operator")
    }

    func compare(_ op: String, _ actual: JSONValue, _ operand: JSONValue) -> Bool {
        switch op {
        case "IsNull": return actual.isNull == (operand.boolValue ?? true)
        case "IsNumeric": return (actual.numberValue != nil) == (operand.boolValue ?? true)
        case "IsString": return (actual.stringValue != nil) == (operand.boolValue ?? true)
        case "IsBoolean": return (actual.boolValue != nil) == (operand.boolValue ?? true)
        case "IsTimestamp":
            let isTimestamp = actual.stringValue.flatMap(StatesTimestamp.parse) != nil
            return isTimestamp == (operand.boolValue ?? true)
        case "BooleanEquals":
            guard let a = actual.boolValue, let b = operand.boolValue else { return false }
            return a == b
        case "StringMatches":
            guard let a = actual.stringValue, let pattern = operand.stringValue else { return false }
            return Self.wildcardMatch(pattern, a)
        default: break
        }
        if op.hasPrefix("String") {
            guard let a = actual.stringValue, let b = operand.stringValue else { return false }
            return Self.ordered(op.dropFirst("String".count), a < b, a == b)
        }
        if op.hasPrefix("Numeric") {
            guard let a = actual.numberValue, let b = operand.numberValue else { return false }
            return Self.ordered(op.dropFirst("Numeric".count), a < b, a == b)
        }
        if op.hasPrefix("Timestamp") {
            guard let a = actual.stringValue.flatMap(StatesTimestamp.parse), let b = operand.stringValue.flatMap(StatesTimestamp.parse) else { return false }
            return Self.ordered(op.dropFirst("Timestamp".count), a < b, a == b)
        }
        return false
    }

    static func ordered(_ suffix: Substring, _ less: Bool, _ equal: Bool) -> Bool {
        switch suffix {
        case "Equals": return equal
        case "LessThan": return less
        case "GreaterThan": return !less && !equal
        case "LessThanEquals": return less || equal
        case "GreaterThanEquals": return !less
        default: return false
        }
    }

    /// `*` matches any run of characters; `\*` and `\\` are literal.
    static func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
        var tokens: [WildcardMatch.Token] = []
        var escaping = false
        for c in pattern {
            if escaping {
                tokens.append(.literal(c))
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                tokens.append(c == "*" ? .many : .literal(c))
            }
        }
        return WildcardMatch.matches(tokens: tokens, text)
    }
}
