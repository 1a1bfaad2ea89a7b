import JSONCore
import JSONata

/// Evaluates a JSONata state's fields: `{% … %}` strings anywhere inside them, with
/// `$states` (input, context, and result or errorOutput when there is one) and the
/// workflow's variables in scope. A value: a Map iteration that captures it gets its own copy.
/// Unchecked only because JSONata's evaluation values (`JSONataBindings`) are not declared
/// Sendable; being a value, a copy is never written by two tasks.
struct JSONataTemplate: @unchecked Sendable {
    let state: StateDefinition
    private var bindings = JSONataBindings()
    let nowMillis: Int64
    let random: @Sendable () -> UInt64

    init(state: StateDefinition, input: JSONValue, context: JSONValue, variables: VariableScope, nowMillis: Int64, random: @escaping @Sendable () -> UInt64) {
        self.state = state
        self.nowMillis = nowMillis
        self.random = random
        // A state without expressions evaluates nothing, so it converts nothing.
        guard !state.expressions.isEmpty else { return }
        for name in state.referencedVariables { if let value = variables.lookup(name) { bindings.bind(name, value) } }
        bindings.bind("states", member: "input", input)
        bindings.bind("states", member: "context", context)
    }

    /// Adds or replaces one member of `$states` (result, errorOutput, a retry's context).
    mutating func set(_ member: String, _ value: JSONValue) {
        guard !state.expressions.isEmpty else { return }
        bindings.bind("states", member: member, value)
    }

    func evaluate(_ template: JSONValue, field: String) throws(StatesError) -> JSONValue {
        switch template {
        case .string:
            guard let text = QueryLanguage.expression(in: template) else { return template }
            return try value(of: text, field: field)
        case .object(let o):
            var out = JSONObject(minimumCapacity: o.count)
            for member in o.storage { out[member.key] = try evaluate(member.value, field: "\(field)/\(member.key)") }
            return .object(out)
        case .array(let a):
            var out: [JSONValue] = []
            out.reserveCapacity(a.count)
            for (i, item) in a.enumerated() { out.append(try evaluate(item, field: "\(field)[\(i)]")) }
            return .array(out)
        default:
            return template
        }
    }

    func value(of text: String, field: String) throws(StatesError) -> JSONValue {
        // Every template field's expressions were compiled with the definition.
        guard let expression = state.expressions[text] else {
            throw .queryEvaluation("The JSONata expression '\(text)' specified for the field '\(field)' was not compiled with the definition.", location: field)
        }
        let result: JSONataExpression.Result
        do { result = try expression.evaluate(bindings, nowMillis: nowMillis, random: random) } catch {
            throw .queryEvaluation("The JSONata expression '\(text)' specified for the field '\(field)' threw an error during evaluation. \(error.description)", location: field)
        }
        switch result {
        case .value(let v): return v
        case .undefined: throw .queryEvaluation("The JSONata expression '\(text)' specified for the field '\(field)' returned nothing (undefined).", location: field)
        case .function: throw .queryEvaluation("The JSONata expression '\(text)' specified for the field '\(field)' returned an unsupported result type.", location: field)
        }
    }

    /// A field whose value must have one JSON type; `described` is how AWS names it.
    func typed(_ template: JSONValue, field: String, expected: String, _ accept: (JSONValue) -> Bool) throws(StatesError) -> JSONValue {
        let value = try evaluate(template, field: field)
        guard accept(value) else {
            if let text = QueryLanguage.expression(in: template) {
                throw .queryEvaluation(
                    "The JSONata expression '\(text)' specified for the field '\(field)' returned an unexpected result type. Expected '\(expected)', but was '\(value.typeName)' for value: \(value.jsonString)",
                    location: field)
            }
            throw .queryEvaluation("The field '\(field)' must be of type '\(expected)', but was '\(value.typeName)' for value: \(value.jsonString)", location: field)
        }
        return value
    }

    /// `Assign`: an object of variable names and templates.
    func assignments(_ template: JSONValue, field: String) throws(StatesError) -> JSONObject {
        guard case .object(let o) = try evaluate(template, field: field) else { return JSONObject() }
        return o
    }

    /// `TimeoutSeconds`, `HeartbeatSeconds`, `MaxConcurrency`…: a non-negative integer.
    func integer(_ template: JSONValue?, field: String, minimum: Int) throws(StatesError) -> Int? {
        guard let template else { return nil }
        let value = try typed(template, field: field, expected: "integer") { $0.numberValue?.isInteger == true }
        guard let n = value.intValue, n >= minimum else {
            throw .queryEvaluation("The value of the field '\(field)' must be an integer greater than or equal to \(minimum), but was \(value.jsonString).", location: field)
        }
        return n
    }
}
