import JSONCore

/// A Choice rule's test, read once. JSONPath rules are a tree of `And`/`Or`/`Not` over
/// comparisons of a `Variable` with a value or a path; JSONata rules are one `Condition`.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
indirect enum ChoiceCondition: Sendable {
    case and([ChoiceCondition])
    case or([ChoiceCondition])
    case not(ChoiceCondition)
    case comparison(ChoiceComparison)
    /// A JSONata `Condition` template (a boolean or `{% %}`).
    case jsonata(JSONValue)
    /// A rule that is not an object, or a JSONata rule without a Condition: it never matches.
    case never
    /// A JSONPath rule with no Variable: it fails the state when it is reached.
    case missingVariable

    /// A JSONPath rule (or a nested one). As Step Functions reads a rule, `And`, `Or` and `Not`
    /// win over `Variable` in that order, and the first comparison member decides.
    init(jsonPath raw: JSONValue) {
        guard case .object(let o) = raw else {
            self = .never
            return
        }
        if let all = o["And"]?.arrayValue {
            self = .and(all.map(ChoiceCondition.init(jsonPath:)))
        } else if let any = o["Or"]?.arrayValue {
            self = .or(any.map(ChoiceCondition.init(jsonPath:)))
        } else if let negated = o["Not"] {
            self = .not(ChoiceCondition(jsonPath: negated))
        } else if let variable = o["Variable"]?.stringValue {
            self = .comparison(ChoiceComparison(variable: ReferencePath(variable), rule: o))
        } else {
            self = .missingVariable
        }
    }

    /// A JSONata rule: its Condition, if any.
    init(jsonata raw: JSONValue) {
        if let condition = raw["Condition"] { self = .jsonata(condition) } else { self = .never }
    }
}
