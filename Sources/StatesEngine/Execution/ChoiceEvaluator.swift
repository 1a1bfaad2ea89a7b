import Determinism
import JSONCore

/// Evaluates JSONPath Choice rules (read once into `ChoiceCondition`) against a state's input:
/// `And`/`Or`/`Not`, every comparison operator with its `…Path` form, and the `Is…` tests.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
struct ChoiceEvaluator {
    let input: JSONValue
    let context: JSONValue

    func matches(_ condition: ChoiceCondition) throws(StatesError) -> Bool {
        switch condition {
        case .and(let all):
            for c in all where !(try matches(c)) { return false }
            return true
        case .or(let any):
            for c in any where try matches(c) { return true }
            return false
        case .not(let negated):
            return !(try matches(negated))
        case .comparison(let comparison):
            return try matches(comparison)
        case .missingVariable:
            throw StatesError.runtime("A choice rule must have a Variable")
        case .never, .jsonata:
            return false
        }
    }

    private func matches(_ comparison: ChoiceComparison) throws(StatesError) -> Bool {
        let value = try path(comparison.variable).evaluate(input: input, context: context)
        guard let (op, operandSource) = comparison.test else { throw StatesError.runtime("A choice rule has no comparison operator") }
        let operand: JSONValue
        switch operandSource {
        case .value(let written):
            operand = written
        case .path(let reference):
            guard let selected = try path(reference).evaluate(input: input, context: context) else {
                throw StatesError.runtime("Invalid path '\(reference.text)': The choice state's condition path references an invalid value.")
            }
            operand = selected
        }
        if op == .isPresent { return (value != nil) == (operand.boolValue ?? true) }
        guard let actual = value else {
            throw StatesError.runtime("Invalid path '\(comparison.variable.text)': The choice state's condition path references an invalid value.")
        }
        return op.compare(actual, operand)
    }

    private func path(_ reference: ReferencePath) throws(StatesError) -> JSONPath {
        switch reference.parsed {
        case .success(let path): return path
        case .failure(let error): throw StatesError.runtime("Invalid path '\(reference.text)': \(error.message)")
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
