public import JSONCore

/// A compiled JSONata expression. Compile once (definition time), evaluate per state.
public struct JSONataExpression: @unchecked Sendable {
    // The node tree is never mutated after parsing, so sharing it across tasks is safe.
    let root: Node
    public let text: String

    public init(_ text: String) throws(JSONataError) {
        self.text = text
        root = try Parser.parse(text)
    }

    /// What an evaluation produced: JSON, nothing at all, or a function (which has no JSON).
    public enum Result: Sendable, Equatable {
        case value(JSONValue)
        case undefined
        case function
    }

    /// Evaluates with `bindings` as the variables in scope and no context item: Step Functions
    /// gives expressions their data through `$states` and variables only.
    public func evaluate(_ bindings: JSONataBindings, nowMillis: Int64 = 0, random: @escaping () -> UInt64 = { 0 }) throws(JSONataError) -> Result {
        try evaluate(input: nil, bindings: bindings, nowMillis: nowMillis, random: random)
    }

    /// Evaluates with `input` as the context item `$` (plain JSONata).
    public func evaluate(input: JSONValue?, bindings: JSONataBindings = JSONataBindings(), nowMillis: Int64 = 0, random: @escaping () -> UInt64 = { 0 }) throws(JSONataError) -> Result {
        let evaluator = Evaluator(nowMillis: nowMillis, random: random)
        let value = try evaluator.run(root, input.map(Value.init) ?? .undefined, Frame(bindings: bindings.values))
        switch value {
        case .undefined: return .undefined
        case .function: return .function
        default: return .value(value.json ?? .null)
        }
    }

    /// The first reference Step Functions refuses at definition time: `$$`, or a field name
    /// read from the (absent) top-level context, such as `phone` in `{% phone %}`.
    public var unsupportedReference: String? { Self.unsupported(root, topLevel: true) }

    /// Variable names the expression reads (`$x` → `x`), including names of built-in functions,
    /// which a variable of the same name shadows.
    public var variableReferences: Set<String> {
        var names: Set<String> = []
        Self.collectVariables(root, into: &names)
        return names
    }

    /// The variables the expression reads from outside itself, in order of first appearance:
    /// names it binds (`:=`, function parameters) and `$states` are left out, and so are the
    /// built-in functions unless `assigned` (variables the machine assigns) shadows one.
    public func freeVariables(assigned: Set<String>) -> [String] {
        var bound: Set<String> = ["states"]
        Self.collectBindings(root, into: &bound)
        var seen: Set<String> = []
        var ordered: [String] = []
        Self.walk(root) { node in
            guard case .variable(let name) = node.kind, !name.isEmpty, name != "$", !bound.contains(name) else { return }
            if Builtins.table[name] != nil, !assigned.contains(name) { return }
            if seen.insert(name).inserted { ordered.append(name) }
        }
        return ordered
    }

    private static func collectBindings(_ node: Node, into names: inout Set<String>) {
        walk(node) { node in
            if case .bind = node.kind, case .variable(let name)? = node.lhs?.kind { names.insert(name) }
            if case .lambda = node.kind { names.formUnion(node.parameters) }
            if let focus = node.focus { names.insert(focus) }
            if let index = node.indexVariable { names.insert(index) }
        }
    }

    /// Every node, in source order of the tree's fields.
    private static func walk(_ node: Node, _ visit: (Node) -> Void) {
        visit(node)
        for child in node.children { walk(child, visit) }
        for stage in node.stages { walk(stage, visit) }
        for predicate in node.predicates { walk(predicate, visit) }
        for (k, v) in node.group ?? [] {
            walk(k, visit)
            walk(v, visit)
        }
        for (term, _) in node.terms { walk(term, visit) }
    }

    private static func unsupported(_ node: Node, topLevel: Bool) -> String? {
        switch node.kind {
        case .variable("$"): return "$$"
        case .name(let n): if topLevel { return n }
        case .path:
            for (i, step) in node.items.enumerated() {
                if let found = unsupported(step, topLevel: topLevel && i == 0) { return found }
                for stage in step.stages { if let found = unsupported(stage, topLevel: false) { return found } }
            }
            for (k, v) in node.group ?? [] {
                if let found = unsupported(k, topLevel: false) ?? unsupported(v, topLevel: false) { return found }
            }
            return nil
        case .sort:
            for (term, _) in node.terms { if let found = unsupported(term, topLevel: false) { return found } }
            return nil
        default: break
        }
        for child in node.children { if let found = unsupported(child, topLevel: topLevel) { return found } }
        for predicate in node.predicates { if let found = unsupported(predicate, topLevel: false) { return found } }
        for (k, v) in node.group ?? [] {
            if let found = unsupported(k, topLevel: false) ?? unsupported(v, topLevel: false) { return found }
        }
        return nil
    }

    private static func collectVariables(_ node: Node, into names: inout Set<String>) {
        walk(node) { node in
            if case .variable(let name) = node.kind, !name.isEmpty, name != "$" { names.insert(name) }
        }
    }
}

/// Variables handed to an evaluation, converted once and reusable across evaluations.
public struct JSONataBindings {
    var values: [String: Value] = [:]

    public init() {}

    public mutating func bind(_ name: String, _ value: JSONValue) { values[name] = Value(value) }

    /// Sets one member of the object variable `name` (creating it), converting only that member.
    public mutating func bind(_ name: String, member: String, _ value: JSONValue) {
        var object = ValueObject()
        if case .object(let existing)? = values.removeValue(forKey: name) { object = existing }
        object[member] = Value(value)
        values[name] = .object(object)
    }

    public func contains(_ name: String) -> Bool { values[name] != nil }
}
