public import JSONCore

/// ValidateStateMachineDefinition's checks. Unlike the parser, which stops at the first thing it
/// cannot read, this lists every problem, in AWS's order: the schema in document order, then
/// each state container's transitions (StartAt and Next targets, a terminal state, reachability).
public struct DefinitionValidator {
    public typealias Problem = StateMachineDefinition.Problem

    let express: Bool
    var machineIsJSONata = false
    var problems: [Problem] = []
    private var stateNames: Set<String> = []
    /// Every state container (the machine, its branches and item processors), outermost first.
    private var containers: [(path: String, fields: JSONObject)] = []

    /// Every problem in a definition; empty when Step Functions would accept it. `express`
    /// applies the EXPRESS type's limits.
    public static func problems(in text: String, express: Bool = false) -> [Problem] {
        check(text, express: express).problems
    }

    /// The parsed definition when it has no problems, else all of them.
    public static func check(_ text: String, express: Bool = false) -> (definition: StateMachineDefinition?, problems: [Problem]) {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            if case .emptyDocument = error.reason { return (nil, [notAnObject]) }
            return (nil, [JSONSyntaxProblem.problem(for: error, in: text)])
        }
        guard case .object(let root) = value else { return (nil, [notAnObject]) }
        var validator = DefinitionValidator(express: express)
        validator.machine(root)
        let found = validator.schemaThenTransitions
        guard found.isEmpty else { return (nil, found) }
        // What only the parser checks: JSONata expressions and Distributed Map writer settings.
        do { return (try StateMachineDefinition(json: value, path: ""), []) } catch { return (nil, [error]) }
    }

    /// A lone state's problems (TestState's definition), its own Next aside.
    public static func problems(inState value: JSONValue) -> [Problem] {
        var validator = DefinitionValidator(express: false)
        validator.state(value, at: "")
        return validator.schemaThenTransitions.map { problem in
            var problem = problem
            if problem.location?.isEmpty == true { problem.location = "/" }
            return problem
        }
    }

    private init(express: Bool) { self.express = express }

    private static let notAnObject = Problem(.schemaValidationFailed, "Definition must be a valid JSON object", at: nil)

    /// The schema problems found so far, then those of every container's transitions.
    private var schemaThenTransitions: [Problem] {
        problems + containers.flatMap { TransitionGraph.problems($0.fields, path: $0.path) }
    }


    /// An enum's spellings as AWS lists them in "Value should be one of the following: [...]".
    static func list<T: RawRepresentable>(_ cases: [T]) -> String where T.RawValue == String {
        "[" + cases.map(\.rawValue).joined(separator: ", ") + "]"
    }

    mutating func fail(_ message: String, _ location: String?, code: DiagnosticCode = .schemaValidationFailed) {
        problems.append(Problem(code, message, at: location))
    }

    // MARK: - Containers

    mutating func machine(_ root: JSONObject) {
        if let declared = root["QueryLanguage"] {
            if declared.stringValue == "JSONPath" || declared.stringValue == "JSONata" {
                machineIsJSONata = declared.stringValue == "JSONata"
            } else {
                fail("Value should be one of the following: [JSONPath, JSONata]", "/QueryLanguage")
            }
        }
        if let version = root["Version"], version.stringValue != "1.0" { fail("Value should be one of the following: [1.0]", "/Version") }
        if let timeout = root["TimeoutSeconds"] { number(timeout, StateFieldRules.NumberRange(minimum: 0, maximum: 99_999_999), at: "/TimeoutSeconds", jsonata: false) }
        container(root, path: "", fields: StateFieldRules.machineFields)
    }

    mutating func container(_ o: JSONObject, path: String, fields: Set<String>) {
        let here = path.isEmpty ? "/" : path
        for member in o.storage where !fields.contains(member.key) { fail("Field '\(member.key)' is not supported", here) }
        let missing = ["States", "StartAt"].filter { o[$0] == nil }
        if !missing.isEmpty { fail("These fields are required: [\(missing.joined(separator: ", "))]", here) }
        if let start = o["StartAt"], start.stringValue == nil { fail("Expected value of type String", "\(path)/StartAt") }
        guard let states = o["States"] else { return }
        guard case .object(let members) = states else { return fail("Expected value of type Object", "\(path)/States") }
        containers.append((path, o))
        for member in members.storage {
            let location = "\(path)/States/\(member.key)"
            if !stateNames.insert(member.key).inserted { fail("Duplicate State name: \(member.key)", location, code: .duplicateStateName) }
            state(member.value, at: location)
        }
    }

    // MARK: - States

    mutating func state(_ value: JSONValue, at path: String) {
        guard case .object(let o) = value else { return fail("Expected value of type Object", path) }
        guard let typeValue = o["Type"] else { return fail("These fields are required: [Type]", path) }
        guard let typeName = typeValue.stringValue, let kind = StateType(rawValue: typeName) else {
            return fail("Value should be one of the following: \(Self.list(StateType.allCases))", "\(path)/Type")
        }
        let jsonata = QueryLanguage.isJSONata(state: o, machineIsJSONata: machineIsJSONata)
        problems += QueryLanguage.fieldProblems(o, isJSONata: jsonata, machineIsJSONata: machineIsJSONata, path: path)
        let allowed = StateFieldRules.allowed[kind] ?? []
        for member in o.storage where !StateFieldRules.common.contains(member.key) && !allowed.contains(member.key) {
            fail("Field '\(member.key)' is not supported", path)
        }
        if allowed.contains("End") { transition(o, at: path) }
        required(o, kind: kind, at: path)
        for (a, b) in StateFieldRules.exclusivePairs where o[a] != nil && o[b] != nil {
            fail("There should only be one of the following fields: [\(a), \(b)]", path)
        }
        for member in o.storage {
            if let range = StateFieldRules.stateNumbers[member.key], allowed.contains(member.key) {
                number(member.value, range, at: "\(path)/\(member.key)", jsonata: jsonata)
            }
        }
        if !jsonata { paths(o, at: path) }
        if allowed.contains("Assign"), let assign = o["Assign"] { variables(assign, at: "\(path)/Assign") }
        if allowed.contains("Retry"), let retry = o["Retry"] { retriers(retry, at: "\(path)/Retry") }
        if allowed.contains("Catch"), let catchers = o["Catch"] { self.catchers(catchers, at: "\(path)/Catch", jsonata: jsonata) }
        switch kind {
        case .task: task(o, at: path)
        case .choice: choices(o, at: path, jsonata: jsonata)
        case .parallel: branches(o, at: path)
        case .map: map(o, at: path)
        case .fail where !jsonata:
            for field in ["Error", "Cause"] where o[field] != nil && o[field]?.stringValue == nil { fail("Expected value of type String", "\(path)/\(field)") }
        default: break
        }
    }

    mutating func transition(_ o: JSONObject, at path: String) {
        let ends = o["End"]?.boolValue == true
        if o["Next"] != nil, ends {
            fail("There should only be one of the following fields: [Next, End]", path)
        } else if o["Next"] == nil, !ends {
            fail("This object should have only one of the following fields: [Next, End]", path)
        }
        if let next = o["Next"], next.stringValue == nil { fail("Expected value of type String", "\(path)/Next") }
        if let end = o["End"], end.boolValue == nil { fail("Expected value of type Boolean", "\(path)/End") }
    }

    mutating func required(_ o: JSONObject, kind: StateType, at path: String) {
        switch kind {
        case .task where o["Resource"] == nil: fail("These fields are required: [Resource]", path)
        case .choice where o["Choices"] == nil: fail("These fields are required: [Choices]", path)
        case .parallel where o["Branches"] == nil: fail("These fields are required: [Branches]", path)
        case .map where o["ItemProcessor"] == nil && o["Iterator"] == nil:
            fail("This object should have only one of the following fields: [ItemProcessor, Iterator]", path)
        case .wait:
            let durations = StateFieldRules.waitDurations.filter { o[$0] != nil }.count
            let list = StateFieldRules.waitDurations.joined(separator: ", ")
            if durations == 0 { fail("This object should have only one of the following fields: [\(list)]", path) }
            if durations > 1 { fail("There should only be one of the following fields: [\(list)]", path) }
        default: break
        }
    }

    mutating func number(_ value: JSONValue, _ range: StateFieldRules.NumberRange, at location: String, jsonata: Bool) {
        let typeName = range.integer ? "Integer" : "Number"
        switch value {
        case .string where jsonata && QueryLanguage.expression(in: value) != nil: return
        case .number(let n):
            if range.integer, !n.isInteger { return fail("Expected value of type \(typeName)", location) }
            let v = n.doubleValue
            if let minimum = range.minimum, v < minimum { fail("Minimum value is \(Self.bound(minimum, range))", location) }
            if let maximum = range.maximum, v > maximum { fail("Maximum value is \(Self.bound(maximum, range))", location) }
        default: fail("Expected value of type \(typeName)", location)
        }
    }

    private static func bound(_ value: Double, _ range: StateFieldRules.NumberRange) -> String {
        range.integer ? String(Int(value)) : String(value)
    }

    /// JSONPath states: paths start at `$`, and a payload template's `.$` values are paths or
    /// intrinsic function calls.
    mutating func paths(_ o: JSONObject, at path: String) {
        for field in StateFieldRules.pathFields {
            guard case .string(let text)? = o[field], !text.hasPrefix("$") else { continue }
            if StateFieldRules.failPathFields.contains(field), StateFieldRules.isFailPathCall(text) { continue }
            fail("Value must be a valid JSONPath.", "\(path)/\(field)")
        }
        for field in ["Parameters", "ResultSelector", "ItemSelector", "Assign"] {
            if let template = o[field] { payloadTemplate(template, at: "\(path)/\(field)") }
        }
    }

    mutating func payloadTemplate(_ value: JSONValue, at location: String) {
        switch value {
        case .object(let o):
            for member in o.storage {
                if member.key.hasSuffix(".$"), case .string(let text) = member.value, !text.hasPrefix("$"), !IntrinsicExpression.looksLikeCall(text) {
                    fail("The value for the field '\(member.key)' must be a valid JSONPath or a valid intrinsic function call", "\(location)/\(member.key)")
                } else {
                    payloadTemplate(member.value, at: "\(location)/\(member.key)")
                }
            }
        case .array(let items):
            for (i, item) in items.enumerated() { payloadTemplate(item, at: "\(location)[\(i)]") }
        default: break
        }
    }

    mutating func variables(_ assign: JSONValue, at location: String) {
        guard case .object(let o) = assign else { return fail("Expected value of type Object", location) }
        for member in o.storage {
            let name = member.key.hasSuffix(".$") ? String(member.key.dropLast(2)) : member.key
            if name == "states" {
                fail("Cannot assign to reserved variable '$states'.", "\(location)/\(member.key)", code: .reservedVariableName)
            } else if !Self.isVariableName(name) {
                fail("Invalid variable name '\(name)': the variable name contains invalid characters.", "\(location)/\(member.key)", code: .invalidVariableName)
            }
        }
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
