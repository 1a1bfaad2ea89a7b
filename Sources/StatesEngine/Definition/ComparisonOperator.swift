import JSONCore

/// A JSONPath Choice rule's comparison operators, each spelled once; every one also has a
/// `…Path` form whose operand is read from the input.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html#amazon-states-language-choice-state-rules
enum ComparisonOperator: String, Sendable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringLessThan = "StringLessThan"
    case stringGreaterThan = "StringGreaterThan"
    case stringLessThanEquals = "StringLessThanEquals"
    case stringGreaterThanEquals = "StringGreaterThanEquals"
    case stringMatches = "StringMatches"
    case numericEquals = "NumericEquals"
    case numericLessThan = "NumericLessThan"
    case numericGreaterThan = "NumericGreaterThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case booleanEquals = "BooleanEquals"
    case timestampEquals = "TimestampEquals"
    case timestampLessThan = "TimestampLessThan"
    case timestampGreaterThan = "TimestampGreaterThan"
    case timestampLessThanEquals = "TimestampLessThanEquals"
    case timestampGreaterThanEquals = "TimestampGreaterThanEquals"
    case isNull = "IsNull"
    case isPresent = "IsPresent"
    case isNumeric = "IsNumeric"
    case isString = "IsString"
    case isBoolean = "IsBoolean"
    case isTimestamp = "IsTimestamp"

    static let pathSuffix = "Path"

    /// The operator a rule's member names, and whether it is the `…Path` form
    /// (`StringEquals`, `StringEqualsPath`); nil for any other member.
    static func named(_ key: String) -> (ComparisonOperator, isPath: Bool)? {
        if let plain = Self(rawValue: key) { return (plain, false) }
        guard key.hasSuffix(pathSuffix), let base = Self(rawValue: String(key.dropLast(pathSuffix.count))) else { return nil }
        return (base, true)
    }

    /// How an ordered comparison reads its two values.
    private enum Order { case equals, lessThan, greaterThan, lessThanEquals, greaterThanEquals }

    private var order: Order? {
        switch self {
        case .stringEquals, .numericEquals, .timestampEquals: return .equals
        case .stringLessThan, .numericLessThan, .timestampLessThan: return .lessThan
        case .stringGreaterThan, .numericGreaterThan, .timestampGreaterThan: return .greaterThan
        case .stringLessThanEquals, .numericLessThanEquals, .timestampLessThanEquals: return .lessThanEquals
        case .stringGreaterThanEquals, .numericGreaterThanEquals, .timestampGreaterThanEquals: return .greaterThanEquals
        default: return nil
        }
    }

    /// Whether `actual` (the Variable's value) passes against `operand`. Values of the wrong
    /// type never match; the `Is…` tests compare against a boolean operand (true when absent).
    func compare(_ actual: JSONValue, _ operand: JSONValue) -> Bool {
        let expected = operand.boolValue ?? true
        switch self {
        case .isNull: return actual.isNull == expected
        case .isPresent: return expected
        case .isNumeric: return (actual.numberValue != nil) == expected
        case .isString: return (actual.stringValue != nil) == expected
        case .isBoolean: return (actual.boolValue != nil) == expected
        case .isTimestamp: return (actual.stringValue.flatMap(StatesTimestamp.parse) != nil) == expected
        case .booleanEquals:
            guard let a = actual.boolValue, let b = operand.boolValue else { return false }
            return a == b
        case .stringMatches:
            guard let a = actual.stringValue, let pattern = operand.stringValue else { return false }
            return ChoiceEvaluator.wildcardMatch(pattern, a)
        case .stringEquals, .stringLessThan, .stringGreaterThan, .stringLessThanEquals, .stringGreaterThanEquals:
            guard let a = actual.stringValue, let b = operand.stringValue else { return false }
            return ordered(a < b, a == b)
        case .numericEquals, .numericLessThan, .numericGreaterThan, .numericLessThanEquals, .numericGreaterThanEquals:
            guard let a = actual.numberValue, let b = operand.numberValue else { return false }
            return ordered(a < b, a == b)
        case .timestampEquals, .timestampLessThan, .timestampGreaterThan, .timestampLessThanEquals, .timestampGreaterThanEquals:
            guard let a = actual.stringValue.flatMap(StatesTimestamp.parse), let b = operand.stringValue.flatMap(StatesTimestamp.parse) else { return false }
            return ordered(a < b, a == b)
        }
    }

    private func ordered(_ less: Bool, _ equal: Bool) -> Bool {
        switch order {
        case .equals?: return equal
        case .lessThan?: return less
        case .greaterThan?: return !less && !equal
        case .lessThanEquals?: return less || equal
        case .greaterThanEquals?: return !less
        case nil: return false
        }
    }
}
