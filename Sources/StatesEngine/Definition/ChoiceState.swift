import JSONCore

/// A Choice state: its rules in order, and the state to go to when none matches.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
struct ChoiceState: Sendable {
    let rules: [ChoiceRule]
    let defaultNext: String?

    init(_ o: JSONObject, jsonata: Bool) {
        rules = (o["Choices"]?.arrayValue ?? []).map { ChoiceRule($0, jsonata: jsonata) }
        defaultNext = o["Default"]?.stringValue
    }
}
