import JSONCore
import JSONata

/// A parsed state machine (or a Parallel branch, or a Map's item processor).
public struct StateMachineDefinition: Sendable {
    public var startAt: String
    public var states: [String: StateDefinition]
    public var timeoutSeconds: Int?
    public var raw: JSONObject
    /// `"QueryLanguage": "JSONata"` at the top of the state machine.
    public var isJSONata: Bool
    /// Some Task in it, at any depth, waits for an activity worker or a task token: on an
    /// instant clock the only waits that let its Parallel or Map start the next branch.
    let waitsOnOutside: Bool

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var code: String
        public var message: String
        /// Where in the definition; nil for a problem of the whole workflow (MISSING_END_STATE).
        public var location: String?
        public var description: String { "\(code): \(message) at \(location ?? "null")" }
    }

    /// A one-state machine for TestState (its Next targets need not exist).
    init(single state: StateDefinition) {
        startAt = state.name
        states = [state.name: state]
        timeoutSeconds = nil
        raw = JSONObject()
        isJSONata = state.isJSONata
        waitsOnOutside = state.waitsOnOutside
    }

    /// Parses a definition Step Functions would accept; otherwise throws the first of the
    /// validator's problems.
    public init(text: String) throws(Problem) {
        let checked = DefinitionValidator.check(text)
        guard let definition = checked.definition else { throw checked.problems[0] }
        self = definition
    }

    /// Parses a state machine, or (with `machineIsJSONata`) a branch or item processor of one:
    /// their states fall back to the whole machine's language, not the enclosing state's. The
    /// schema and transitions are `DefinitionValidator`'s to check; this throws only where the
    /// JSON cannot be read as a state machine at all.
    public init(json: JSONValue, path: String, machineIsJSONata: Bool? = nil) throws(Problem) {
        let here = path.isEmpty ? "/" : path
        guard case .object(let o) = json else { throw Problem(code: "SCHEMA_VALIDATION_FAILED", message: "Expected value of type Object", location: here) }
        raw = o
        isJSONata = machineIsJSONata ?? (o["QueryLanguage"]?.stringValue == "JSONata")
        guard let start = o["StartAt"]?.stringValue else {
            throw Problem(code: "SCHEMA_VALIDATION_FAILED", message: "These fields are required: [StartAt]", location: here)
        }
        startAt = start
        guard case .object(let statesObject)? = o["States"] else {
            throw Problem(code: "SCHEMA_VALIDATION_FAILED", message: "These fields are required: [States]", location: here)
        }
        timeoutSeconds = o["TimeoutSeconds"]?.intValue
        var states: [String: StateDefinition] = [:]
        for member in statesObject.storage {
            states[member.key] = try StateDefinition(name: member.key, json: member.value, path: "\(path)/States/\(member.key)", machineIsJSONata: isJSONata)
        }
        self.states = states
        waitsOnOutside = states.values.contains(where: \.waitsOnOutside)
    }
}

/// One state, kept as its JSON with typed accessors for what the interpreter reads.
public struct StateDefinition: Sendable {
    public enum Kind: String, Sendable { case pass = "Pass", task = "Task", choice = "Choice", wait = "Wait", succeed = "Succeed", fail = "Fail", parallel = "Parallel", map = "Map" }

    public let name: String
    public let kind: Kind
    public let raw: JSONObject
    public let branches: [StateMachineDefinition]
    public let itemProcessor: StateMachineDefinition?
    /// Written in JSONata (`$states`, `{% … %}` templates) rather than JSONPath.
    public let isJSONata: Bool
    /// The state's JSONata expressions, compiled when the definition was read.
    let expressions: [String: JSONataExpression]
    /// The variables those expressions read, so a state binds only what it uses.
    let referencedVariables: Set<String>
    /// It, or a state in its branches or item processor, waits for a worker or a task token.
    let waitsOnOutside: Bool

    /// Parses a lone state (TestState's definition).
    public static func single(name: String, json: JSONValue) throws(StateMachineDefinition.Problem) -> StateDefinition {
        try StateDefinition(name: name, json: json, path: "", machineIsJSONata: false)
    }

    init(name: String, json: JSONValue, path: String, machineIsJSONata: Bool) throws(StateMachineDefinition.Problem) {
        guard case .object(let o) = json else {
            throw StateMachineDefinition.Problem(code: "SCHEMA_VALIDATION_FAILED", message: "A state must be an object", location: path)
        }
        guard let typeName = o["Type"]?.stringValue, let kind = Kind(rawValue: typeName) else {
            throw StateMachineDefinition.Problem(code: "SCHEMA_VALIDATION_FAILED", message: "Unknown or missing state Type", location: path)
        }
        self.name = name
        self.kind = kind
        raw = o
        isJSONata = QueryLanguage.isJSONata(state: o, machineIsJSONata: machineIsJSONata)
        expressions = isJSONata ? try QueryLanguage.compile(o, path: path) : [:]
        referencedVariables = expressions.values.reduce(into: Set<String>()) { $0.formUnion($1.variableReferences) }
        var branches: [StateMachineDefinition] = []
        for (i, branch) in (o["Branches"]?.arrayValue ?? []).enumerated() {
            branches.append(try StateMachineDefinition(json: branch, path: "\(path)/Branches[\(i)]", machineIsJSONata: machineIsJSONata))
        }
        self.branches = branches
        if let processor = o["ItemProcessor"] ?? o["Iterator"] {
            itemProcessor = try StateMachineDefinition(json: processor, path: "\(path)/ItemProcessor", machineIsJSONata: machineIsJSONata)
        } else {
            itemProcessor = nil
        }
        if kind == .map { _ = try ResultWriterConfig(writer: o["ResultWriter"], path: path) }
        let resource = kind == .task ? o["Resource"]?.stringValue ?? "" : ""
        waitsOnOutside = Run.isActivity(resource) || Run.waitsForToken(resource) || branches.contains(where: \.waitsOnOutside)
            || itemProcessor?.waitsOnOutside == true
    }

    public subscript(key: String) -> JSONValue? { raw[key] }
    public var next: String? { raw["Next"]?.stringValue }
    public var isEnd: Bool { raw["End"]?.boolValue == true }
}
