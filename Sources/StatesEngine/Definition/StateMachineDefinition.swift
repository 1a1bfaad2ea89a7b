public import JSONCore
import JSONata

/// A parsed state machine (or a Parallel branch, or a Map's item processor): its states read
/// once into the typed tree the interpreter runs (`StateDefinition`).
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

        init(_ code: DiagnosticCode, _ message: String, at location: String?) {
            self.code = code.rawValue
            self.message = message
            self.location = location
        }
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
        guard case .object(let o) = json else { throw Problem(.schemaValidationFailed, "Expected value of type Object", at: here) }
        raw = o
        isJSONata = machineIsJSONata ?? (o["QueryLanguage"]?.stringValue == "JSONata")
        guard let start = o["StartAt"]?.stringValue else {
            throw Problem(.schemaValidationFailed, "These fields are required: [StartAt]", at: here)
        }
        startAt = start
        guard case .object(let statesObject)? = o["States"] else {
            throw Problem(.schemaValidationFailed, "These fields are required: [States]", at: here)
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
