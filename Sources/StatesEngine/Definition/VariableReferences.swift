import JSONCore
import JSONata

/// DescribeStateMachine's `variableReferences`: for every state that reads workflow variables
/// (states inside Parallel branches and Map item processors included), the variable names in
/// the order the state's fields first mention them. JSONata states contribute the free
/// variables of their `{% %}` expressions; JSONPath states the `$name` roots of their paths,
/// payload templates and intrinsic function arguments.
public enum VariableReferences {
    public static func of(_ definition: StateMachineDefinition) -> [(state: String, variables: [String])] {
        var assigned: Set<String> = []
        forEachState(definition) { state in
            walk(.object(state.raw)) { key, value in
                if key == "Assign", case .object(let o) = value { for member in o.storage { assigned.insert(member.key.hasSuffix(".$") ? String(member.key.dropLast(2)) : member.key) } }
            }
        }
        var out: [(String, [String])] = []
        forEachState(definition) { state in
            var names: [String] = []
            func add(_ name: String) { if !names.contains(name) { names.append(name) } }
            walk(.object(state.raw)) { key, value in
                if state.isJSONata {
                    guard let body = QueryLanguage.expression(in: value), let expression = state.expressions[body] else { return }
                    expression.freeVariables(assigned: assigned).forEach(add)
                } else if case .string(let text) = value, key.hasSuffix(".$") || key.hasSuffix("Path") || key == "Variable" {
                    jsonPathVariables(text).forEach(add)
                }
            }
            if !names.isEmpty { out.append((state.name, names)) }
        }
        return out
    }

    /// States in definition order, descending into branches and item processors.
    private static func forEachState(_ definition: StateMachineDefinition, _ body: (StateDefinition) -> Void) {
        guard case .object(let states)? = definition.raw["States"] else {
            for state in definition.states.values { visit(state, body) }
            return
        }
        for member in states.storage { if let state = definition.states[member.key] { visit(state, body) } }
    }

    private static func visit(_ state: StateDefinition, _ body: (StateDefinition) -> Void) {
        body(state)
        for child in state.children { forEachState(child, body) }
    }

    /// Every member of a state's JSON, depth first, skipping the nested state machines (their
    /// states are reported under their own names).
    private static func walk(_ value: JSONValue, key: String = "", _ visit: (String, JSONValue) -> Void) {
        switch value {
        case .object(let o):
            if !key.isEmpty { visit(key, value) }
            for member in o.storage where member.key != "Branches" && member.key != "ItemProcessor" && member.key != "Iterator" {
                walk(member.value, key: member.key, visit)
            }
        case .array(let items):
            for item in items { walk(item, key: key, visit) }
        default:
            visit(key, value)
        }
    }

    private static func jsonPathVariables(_ text: String) -> [String] {
        if IntrinsicExpression.looksLikeCall(text) {
            guard let expression = try? IntrinsicExpression.parse(text) else { return [] }
            var names: [String] = []
            collect(expression, into: &names)
            return names
        }
        guard let path = try? JSONPath(text), case .variable(let name) = path.root else { return [] }
        return [name]
    }

    private static func collect(_ expression: IntrinsicExpression, into names: inout [String]) {
        switch expression {
        case .call(_, let arguments): for argument in arguments { collect(argument, into: &names) }
        case .path(let path): if case .variable(let name) = path.root, !names.contains(name) { names.append(name) }
        case .literal: break
        }
    }
}
