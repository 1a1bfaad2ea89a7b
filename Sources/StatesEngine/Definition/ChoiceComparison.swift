import JSONCore

/// A `Variable` compared by one operator with a value or with what a path selects.
struct ChoiceComparison: Sendable {
    enum Operand: Sendable {
        case value(JSONValue)
        case path(ReferencePath)
    }

    let variable: ReferencePath
    /// nil when the rule names no operator: it fails when it is reached.
    let test: (ComparisonOperator, Operand)?

    /// The first member that is an operator decides (a `…Path` one only when it holds a string).
    init(variable: ReferencePath, rule: JSONObject) {
        self.variable = variable
        for member in rule.storage {
            guard let (op, isPath) = ComparisonOperator.named(member.key) else { continue }
            if isPath {
                guard case .string(let text) = member.value else { continue }
                test = (op, .path(ReferencePath(text)))
            } else {
                test = (op, .value(member.value))
            }
            return
        }
        test = nil
    }
}
