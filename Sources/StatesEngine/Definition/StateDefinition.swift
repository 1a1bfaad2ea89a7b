public import JSONCore
import JSONata

/// One state, read once into what the interpreter decides on: the fields every state has, and
/// its type's own (`kind`). Payload templates stay the JSON (or compiled JSONata) they are run
/// as; the JSON itself is kept for what reports on the definition (variable references).
public struct StateDefinition: Sendable {
    /// A state's type with what only that type has.
    enum Kind: Sendable {
        case pass(PassState)
        case task(TaskState)
        case choice(ChoiceState)
        case wait(WaitState)
        case succeed
        case fail(FailState)
        case parallel(ParallelState)
        case map(MapState)
    }

    public let name: String
    public let type: StateType
    private(set) var kind: Kind
    public let raw: JSONObject
    /// Written in JSONata (`$states`, `{% … %}` templates) rather than JSONPath.
    public let isJSONata: Bool
    public let next: String?
    public let isEnd: Bool
    /// JSONPath `InputPath` and `OutputPath`.
    let inputPath: InputSelection
    let outputPath: InputSelection
    /// `Assign`: a payload template (JSONPath) or a JSONata template.
    let assign: JSONValue?
    /// JSONata `Output`.
    let output: JSONValue?
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
            throw StateMachineDefinition.Problem(.schemaValidationFailed, "A state must be an object", at: path)
        }
        guard let typeName = o["Type"]?.stringValue, let type = StateType(rawValue: typeName) else {
            throw StateMachineDefinition.Problem(.schemaValidationFailed, "Unknown or missing state Type", at: path)
        }
        self.name = name
        self.type = type
        raw = o
        let jsonata = QueryLanguage.isJSONata(state: o, machineIsJSONata: machineIsJSONata)
        isJSONata = jsonata
        next = o["Next"]?.stringValue
        isEnd = o["End"]?.boolValue == true
        inputPath = InputSelection(o["InputPath"])
        outputPath = InputSelection(o["OutputPath"])
        assign = o["Assign"]
        output = o["Output"]
        expressions = jsonata ? try QueryLanguage.compile(o, path: path) : [:]
        referencedVariables = expressions.values.reduce(into: Set<String>()) { $0.formUnion($1.variableReferences) }
        switch type {
        case .pass: kind = .pass(PassState(o))
        case .task: kind = .task(TaskState(o, jsonata: jsonata))
        case .choice: kind = .choice(ChoiceState(o, jsonata: jsonata))
        case .wait: kind = .wait(WaitState(o, jsonata: jsonata))
        case .succeed: kind = .succeed
        case .fail: kind = .fail(FailState(o, jsonata: jsonata))
        case .parallel:
            var branches: [StateMachineDefinition] = []
            for (i, branch) in (o["Branches"]?.arrayValue ?? []).enumerated() {
                branches.append(try StateMachineDefinition(json: branch, path: "\(path)/Branches[\(i)]", machineIsJSONata: machineIsJSONata))
            }
            kind = .parallel(ParallelState(o, branches: branches, jsonata: jsonata))
        case .map:
            let processor = try (o["ItemProcessor"] ?? o["Iterator"]).map { (json: JSONValue) throws(StateMachineDefinition.Problem) in
                try StateMachineDefinition(json: json, path: "\(path)/ItemProcessor", machineIsJSONata: machineIsJSONata)
            }
            kind = .map(try MapState(o, processor: processor, jsonata: jsonata, path: path))
        }
        switch kind {
        case .task(let task): waitsOnOutside = task.resource.waitsOnOutside
        case .parallel(let parallel): waitsOnOutside = parallel.branches.contains(where: \.waitsOnOutside)
        case .map(let map): waitsOnOutside = map.processor?.waitsOnOutside == true
        default: waitsOnOutside = false
        }
    }

    /// The nested state machines: a Parallel's branches, a Map's item processor.
    var children: [StateMachineDefinition] {
        switch kind {
        case .parallel(let parallel): return parallel.branches
        case .map(let map): return map.processor.map { [$0] } ?? []
        default: return []
        }
    }

    /// The Retry list of a Task, Parallel or Map; empty for the others.
    var retry: [RetryPolicy] {
        switch kind {
        case .task(let task): return task.retry
        case .parallel(let parallel): return parallel.retry
        case .map(let map): return map.retry
        default: return []
        }
    }

    /// The state without its Retry: TestState runs a lone state once and reports a retriable
    /// error as RETRIABLE instead of retrying it (however many attempts the retrier allows).
    var withoutRetry: StateDefinition {
        var copy = self
        switch kind {
        case .task(var task):
            task.retry = []
            copy.kind = .task(task)
        case .parallel(var parallel):
            parallel.retry = []
            copy.kind = .parallel(parallel)
        case .map(var map):
            map.retry = []
            copy.kind = .map(map)
        default: break
        }
        return copy
    }

    /// The Catch list of a Task, Parallel or Map; empty for the others.
    var catchers: [CatchRule] {
        switch kind {
        case .task(let task): return task.catchers
        case .parallel(let parallel): return parallel.catchers
        case .map(let map): return map.catchers
        default: return []
        }
    }
}
