import JSONCore

/// One of a Choice state's `Choices`: its test, the state it leads to, and (top-level rules)
/// what it assigns and, in JSONata, outputs.
struct ChoiceRule: Sendable {
    let condition: ChoiceCondition
    let next: String?
    let assign: JSONValue?
    let output: JSONValue?

    init(_ raw: JSONValue, jsonata: Bool) {
        condition = jsonata ? ChoiceCondition(jsonata: raw) : ChoiceCondition(jsonPath: raw)
        next = raw["Next"]?.stringValue
        assign = raw["Assign"]
        output = raw["Output"]
    }
}
