import AWSWire
public import Durable
import Determinism
public import JSONCore
public import ServiceKit
public import StatesEngine
public import Locking

/// Step Functions' API over the interpreter: state machines, executions (STANDARD in the
/// background, EXPRESS through StartSyncExecution), history.
public final class StatesOperations: Sendable {
    let store: StatesStore
    let activities: ActivityBook
    let clock: any ServerClock
    /// Execution time scale; the admin API can change it for executions that start later.
    let timeScaleSetting: Locked<Double>
    public var timeScale: Double {
        get { timeScaleSetting.withLock { $0 } }
        set { timeScaleSetting.withLock { $0 = newValue } }
    }
    /// The Task integrations an execution calls its resources through, on its clock.
    let tasks: @Sendable (any ExecutionClock) -> any TaskInvoker
    let seed: UInt64
    let names = Locked(SeededRandom(seed: 0, label: "execution-names"))

    /// The mock configuration's test cases, chosen by `stateMachineArn#TestCase`.
    public let mockConfig: MockConfigSource
    /// Told of every execution's start and end (the server's metrics); nil with metrics off.
    let observer: (any ExecutionObserver)?

    public convenience init(
        store: StatesStore = StatesStore(), clock: any ServerClock, timeScale: Double, seed: UInt64,
        tasks: @escaping @Sendable (any ExecutionClock) -> any TaskInvoker
    ) {
        self.init(store: store, clock: clock, timeScale: Locked(timeScale), seed: seed, tasks: tasks)
    }

    /// - Parameter timeScale: the server's setting, shared with whatever else paces by it (a
    ///   replayed stream), so the admin API's change reaches them all.
    public convenience init(
        store: StatesStore = StatesStore(), clock: any ServerClock, timeScale: Locked<Double>, seed: UInt64,
        mockConfig: MockConfigSource = MockConfigSource(), tasks: @escaping @Sendable (any ExecutionClock) -> any TaskInvoker
    ) {
        self.init(store: store, activities: ActivityBook(), clock: clock, timeScale: timeScale, seed: seed, mockConfig: mockConfig, tasks: tasks)
    }

    /// Over `store` and, under `--data-dir`, `database`: the activities it holds, and every
    /// change to them written through before it is answered (the store keeps its machines
    /// the same way).
    public convenience init(
        store: StatesStore, database: StateDatabase?, clock: any ServerClock, timeScale: Locked<Double>, seed: UInt64, mockConfig: MockConfigSource,
        observer: (any ExecutionObserver)? = nil, tasks: @escaping @Sendable (any ExecutionClock) -> any TaskInvoker
    ) throws(SQLiteDatabase.Failure) {
        self.init(
            store: store, activities: try ActivityBook(database: database), clock: clock, timeScale: timeScale, seed: seed, mockConfig: mockConfig,
            observer: observer, tasks: tasks)
    }

    init(
        store: StatesStore, activities: ActivityBook, clock: any ServerClock, timeScale: Locked<Double>, seed: UInt64, mockConfig: MockConfigSource,
        observer: (any ExecutionObserver)? = nil, tasks: @escaping @Sendable (any ExecutionClock) -> any TaskInvoker
    ) {
        self.observer = observer
        self.store = store
        self.activities = activities
        self.mockConfig = mockConfig
        self.clock = clock
        timeScaleSetting = timeScale
        self.tasks = tasks
        self.seed = seed
        names.withLock { $0 = SeededRandom(seed: seed, label: "execution-names") }
    }

    /// Step Functions' front end: every served operation, those that wait included.
    public var frontEnd: StatesFrontEnd {
        StatesFrontEnd(
            operations: operations,
            asyncOperations: [
                "StartSyncExecution": { [self] input, request throws(AWSServiceError) in try startSyncExecution(input, request) },
                "GetActivityTask": { [self] input, request throws(AWSServiceError) in try getActivityTask(input, request) },
                "TestState": { [self] input, request throws(AWSServiceError) in try prepareTestState(input, request) },
            ])
    }

    /// Forgets every state machine, execution, map run and activity (the admin reset).
    public func reset() {
        store.reset()
        activities.reset()
    }

    static func error(_ code: String, _ message: String) -> AWSServiceError {
        AWSServiceError(code: code, message: message, status: 400, namespace: StatesFrontEnd.namespace)
    }

    static func validation(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "ValidationException", message: message, status: 400, namespace: ServiceErrors.coralValidate)
    }

    func timestamp(_ millis: Int64) -> JSONValue { AWSTimestamp.epochSecondsNumber(epochMillis: millis) }

    var operations: [String: StatesFrontEnd.Handler] {
        coreOperations.merging(versionOperations) { first, _ in first }.merging(mapRunOperations) { first, _ in first }
            .merging(activityOperations) { first, _ in first }
    }

    var coreOperations: [String: StatesFrontEnd.Handler] {
        [
            "CreateStateMachine": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try createStateMachine(input, request) },
            "DescribeStateMachine": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try describeStateMachine(input, request) },
            "ListStateMachines": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try listStateMachines(input, request) },
            "DeleteStateMachine": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try deleteStateMachine(input, request) },
            "UpdateStateMachine": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try updateStateMachine(input, request) },
            "StartExecution": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try startExecution(input, request) },
            "DescribeExecution": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try describeExecution(input, request) },
            "StopExecution": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try stopExecution(input, request) },
            "ListExecutions": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try listExecutions(input, request) },
            "GetExecutionHistory": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try getExecutionHistory(input, request) },
            "DescribeStateMachineForExecution": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try describeStateMachineForExecution(input, request) },
            "ValidateStateMachineDefinition": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try validateDefinition(input, request) },
            "RedriveExecution": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try redriveExecution(input, request) },
            "TagResource": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try tagResource(input, request) },
            "UntagResource": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try untagResource(input, request) },
            "ListTagsForResource": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try listTags(input, request) },
        ]
    }

    // MARK: - Helpers

    static func required(_ input: JSONObject, _ key: String) throws(AWSServiceError) -> String {
        guard let value = input[key]?.stringValue else {
            throw validation("1 validation error detected: Value null at '\(key)' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    /// Characters AWS refuses in names, besides the controls (U+0000–001F, U+007F–009F).
    private static let forbiddenInNames = Set(" <>{}[]?*\"#%\\^|~`$&,;:/".unicodeScalars)

    static func checkName(_ name: String) throws(AWSServiceError) {
        guard (1...80).contains(name.count),
            !name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || forbiddenInNames.contains($0) })
        else {
            throw error("InvalidName", "Invalid Name: '\(name)'")
        }
    }

    func machine(_ arn: String) throws(AWSServiceError) -> StatesStore.Machine {
        guard let parsed = ARN(arn), parsed.service == "states", parsed.resource.hasPrefix("stateMachine:") else {
            throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'")
        }
        guard let machine = store.machine(arn) else { throw Self.error("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(arn)'") }
        return machine
    }

    func execution(_ arn: String) throws(AWSServiceError) -> StatesStore.Execution {
        guard let parsed = ARN(arn), parsed.service == "states", parsed.resource.hasPrefix("execution:") || parsed.resource.hasPrefix("express:") else {
            throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'")
        }
        guard let execution = store.execution(arn) else { throw Self.error("ExecutionDoesNotExist", "Execution Does Not Exist: '\(arn)'") }
        return execution
    }

    static func parseDefinition(_ text: String, type: StateMachineType) throws(AWSServiceError) -> StateMachineDefinition {
        guard text.utf8.count <= 1_048_576 else { throw error("InvalidDefinition", "Invalid State Machine Definition: 'The definition is larger than 1 MiB'") }
        let checked = DefinitionValidator.check(text, express: type == .express)
        guard let definition = checked.definition else { throw invalidDefinition(checked.problems) }
        return definition
    }

    /// The request's `type`, STANDARD when it has none.
    static func machineType(_ input: JSONObject) throws(AWSServiceError) -> StateMachineType {
        let text = input["type"]?.stringValue ?? StateMachineType.standard.rawValue
        guard let type = StateMachineType(rawValue: text) else {
            let values = StateMachineType.allCases.map(\.rawValue).joined(separator: ", ")
            throw validation("1 validation error detected: Value '\(text)' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [\(values)]")
        }
        return type
    }

    /// InvalidDefinition naming every problem, as AWS joins them.
    static func invalidDefinition(_ problems: [StateMachineDefinition.Problem]) -> AWSServiceError {
        error("InvalidDefinition", "Invalid State Machine Definition: '\(problems.map(\.description).joined(separator: ", "))'")
    }

    // MARK: - State machines

    func createStateMachine(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let name = try Self.required(input, "name")
        let text = try Self.required(input, "definition")
        let role = try Self.required(input, "roleArn")
        try Self.checkName(name)
        let type = try Self.machineType(input)
        guard let roleArn = ARN(role), roleArn.service == "iam" else { throw Self.error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: \(role)'") }
        let definition = try Self.parseDefinition(text, type: type)
        let arn = "arn:aws:states:\(request.caller.region):\(request.caller.account):stateMachine:\(name)"
        if let existing = store.machine(arn) {
            guard existing.definitionText == text, existing.roleArn == role, existing.type == type else {
                throw Self.error("StateMachineAlreadyExists", "State Machine Already Exists: '\(arn)'")
            }
            return ["stateMachineArn": .string(arn), "creationDate": timestamp(existing.creationMillis)]
        }
        let now = clock.nowMillis()
        let logging = input["loggingConfiguration"] ?? ["level": "OFF", "includeExecutionData": false]
        var machine = StatesStore.Machine(
            arn: arn, name: name, type: type, definitionText: text, definition: definition, roleArn: role, createdAt: now, logging: logging,
            tracing: input["tracingConfiguration"]?["enabled"]?.boolValue ?? false)
        machine.tags = (input["tags"]?.arrayValue ?? []).compactMap { tag in tag["key"]?.stringValue.map { ($0, tag["value"]?.stringValue ?? "") } }
        if let existing = try store.addMachine(machine) {
            // Created by a concurrent request since the check above.
            guard existing.definitionText == text, existing.roleArn == role, existing.type == type else {
                throw Self.error("StateMachineAlreadyExists", "State Machine Already Exists: '\(arn)'")
            }
            return ["stateMachineArn": .string(arn), "creationDate": timestamp(existing.creationMillis)]
        }
        var out: JSONObject = ["stateMachineArn": .string(arn), "creationDate": timestamp(now)]
        if input["publish"]?.boolValue == true, let version = try publish(arn, description: input["versionDescription"]?.stringValue) {
            out["stateMachineVersionArn"] = .string(version)
        }
        return .object(out)
    }

    func describe(_ machine: StatesStore.Machine) -> JSONValue {
        var o = JSONObject()
        o["stateMachineArn"] = .string(machine.arn)
        o["name"] = .string(machine.name)
        o["status"] = "ACTIVE"
        o["definition"] = .string(machine.definitionText)
        o["roleArn"] = .string(machine.roleArn)
        o["type"] = .string(machine.type.rawValue)
        o["creationDate"] = timestamp(machine.creationMillis)
        o["loggingConfiguration"] = machine.loggingConfiguration
        o["tracingConfiguration"] = ["enabled": .bool(machine.tracingEnabled)]
        if !machine.revisionId.isEmpty { o["revisionId"] = .string(machine.revisionId) }
        Self.putVariableReferences(machine.definition, into: &o)
        return .object(o)
    }

    /// `includedData: METADATA_ONLY` answers `{}` for the definition (AWS does so that callers
    /// without kms:Decrypt can describe an encrypted machine).
    static func withIncludedData(_ described: JSONValue, _ input: JSONObject) -> JSONValue {
        guard input["includedData"]?.stringValue == "METADATA_ONLY", case .object(var o) = described else { return described }
        o["definition"] = "{}"
        return .object(o)
    }

    /// `variableReferences`, present only when some state reads a variable.
    static func putVariableReferences(_ definition: StateMachineDefinition, into o: inout JSONObject) {
        let references = VariableReferences.of(definition)
        guard !references.isEmpty else { return }
        var map = JSONObject()
        for (state, names) in references { map[state] = .array(names.map { .string($0) }) }
        o["variableReferences"] = .object(map)
    }

    func describeStateMachine(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineArn")
        let (machine, version, _) = try resolve(arn)
        guard let version, Self.split(arn).qualifier.flatMap({ Int($0) }) != nil else { return Self.withIncludedData(describe(machine), input) }
        guard case .object(var o) = describe(machine) else { return nil }
        o["stateMachineArn"] = .string(arn)
        o["definition"] = .string(version.definitionText)
        o["roleArn"] = .string(version.roleArn)
        o["creationDate"] = timestamp(version.createdMillis)
        if let d = version.description { o["description"] = .string(d) }
        if !version.revisionId.isEmpty { o["revisionId"] = .string(version.revisionId) }
        o["variableReferences"] = nil
        Self.putVariableReferences(version.definition, into: &o)
        return Self.withIncludedData(.object(o), input)
    }

    func listStateMachines(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let prefix = "arn:aws:states:\(request.caller.region):\(request.caller.account):stateMachine:"
        let all = store.machines(prefix: prefix)
        let (page, next) = try paginate(all, input: input, kind: "state-machines")
        var o = JSONObject()
        o["stateMachines"] = .array(page.map { ["stateMachineArn": .string($0.arn), "name": .string($0.name), "type": .string($0.type.rawValue), "creationDate": timestamp($0.creationMillis)] })
        if let next { o["nextToken"] = .string(next) }
        return .object(o)
    }

    func paginate<T>(_ all: [T], input: JSONObject, kind: String) throws(AWSServiceError) -> ([T], String?) {
        var limit = input["maxResults"]?.intValue ?? 100
        if limit == 0 { limit = 100 }
        guard (1...1000).contains(limit) else {
            throw Self.validation("1 validation error detected: Value '\(limit)' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000")
        }
        var start = 0
        if let token = input["nextToken"]?.stringValue {
            guard let offset = PaginationToken.decode(token, kind: kind), offset <= all.count else {
                throw Self.error("InvalidToken", "Invalid Token: '\(token)'")
            }
            start = offset
        }
        let end = min(all.count, start + limit)
        return (Array(all[start..<end]), end < all.count ? PaginationToken.encode(end, kind: kind) : nil)
    }

    func deleteStateMachine(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineArn")
        guard let parsed = ARN(arn), parsed.service == "states", parsed.resource.hasPrefix("stateMachine:") else {
            throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'")
        }
        try store.removeMachine(arn)
        return [:]
    }

    func updateStateMachine(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineArn")
        let current = try machine(arn)
        guard input["definition"] != nil || input["roleArn"] != nil || input["loggingConfiguration"] != nil || input["tracingConfiguration"] != nil else {
            throw Self.error("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
        }
        let text = input["definition"]?.stringValue
        let definition = try text.map { t throws(AWSServiceError) in try Self.parseDefinition(t, type: current.type) }
        let now = clock.nowMillis()
        var random = SeededRandom(seed: seed ^ StableHash.of(arn + String(now)), label: "revision")
        let revisionId = random.uuidV4()
        let updated: Void? = try store.updateMachine(arn) { machine throws(AWSServiceError) in
            if let text, let definition {
                machine.definition = definition
                machine.definitionText = text
            }
            if let role = input["roleArn"]?.stringValue { machine.roleArn = role }
            if let logging = input["loggingConfiguration"] { machine.loggingConfiguration = logging }
            machine.updateMillis = now
            machine.revisionId = revisionId
        }
        guard updated != nil else { throw Self.error("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(arn)'") }
        var out: JSONObject = ["updateDate": timestamp(now), "revisionId": .string(revisionId)]
        if input["publish"]?.boolValue == true, let version = try publish(arn, description: input["versionDescription"]?.stringValue) {
            out["stateMachineVersionArn"] = .string(version)
        }
        return .object(out)
    }

    func stopExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let execution = try execution(try Self.required(input, "executionArn"))
        let now = clock.nowMillis()
        if execution.snapshot.status == .running {
            end(execution, .aborted, error: input["error"]?.stringValue, cause: input["cause"]?.stringValue, at: now)
            execution.history.recordAborted(error: input["error"]?.stringValue, cause: input["cause"]?.stringValue, at: now)
            execution.cancelRunner()
            try store.persist(execution: execution)
        }
        return ["stopDate": timestamp(execution.snapshot.stopMillis ?? now)]
    }

    func listExecutions(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        var all: [StateDatabase.ExecutionRow]
        if let mapRunArn = input["mapRunArn"]?.stringValue, input["stateMachineArn"] == nil {
            all = store.executions(ofMapRun: try mapRun(mapRunArn).arn)
        } else {
            let machine = try machine(try Self.required(input, "stateMachineArn"))
            if machine.type == .express {
                throw Self.error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
            }
            all = store.listing(of: machine.arn)
        }
        if let filter = input["statusFilter"]?.stringValue { all = all.filter { $0.status == filter } }
        let (page, next) = try paginate(all, input: input, kind: "executions")
        var o = JSONObject()
        o["executions"] = .array(page.map { ExecutionDocument.listItem($0, timestamp: timestamp) })
        if let next { o["nextToken"] = .string(next) }
        return .object(o)
    }

    func getExecutionHistory(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let execution = try execution(try Self.required(input, "executionArn"))
        let includeData = input["includeExecutionData"]?.boolValue ?? true
        var events = execution.history.all
        if input["reverseOrder"]?.boolValue == true { events.reverse() }
        let (page, next) = try paginate(events, input: input, kind: "history")
        var o = JSONObject()
        o["events"] = .array(page.map { event in
            var e = JSONObject()
            e["timestamp"] = timestamp(event.timestampMillis)
            e["type"] = .string(event.type.rawValue)
            e["id"] = JSONValue(event.id)
            e["previousEventId"] = JSONValue(event.previousEventId)
            if let (key, value) = event.details {
                var details = value
                if !includeData, case .object(var d) = value {
                    for field in ["input", "output"] where d[field] != nil { d[field] = nil; d["\(field)Details"] = ["included": false] }
                    details = .object(d)
                }
                e[key] = details
            }
            return .object(e)
        })
        if let next { o["nextToken"] = .string(next) }
        return .object(o)
    }

    func describeStateMachineForExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let execution = try execution(try Self.required(input, "executionArn"))
        var o = JSONObject()
        o["stateMachineArn"] = .string(execution.machineArn)
        o["name"] = .string(execution.machineName)
        o["definition"] = .string(execution.definitionText)
        o["roleArn"] = .string(execution.roleArn)
        o["updateDate"] = timestamp(store.machine(execution.machineArn)?.updateMillis ?? execution.startMillis)
        o["loggingConfiguration"] = ["level": "OFF", "includeExecutionData": false]
        o["tracingConfiguration"] = ["enabled": false]
        if let mapRunArn = execution.mapRunArn {
            o["mapRunArn"] = .string(mapRunArn)
            if let run = store.mapRun(mapRunArn) { o["label"] = .string(run.label) }
        }
        if !execution.revisionId.isEmpty { o["revisionId"] = .string(execution.revisionId) }
        Self.putVariableReferences(execution.definition, into: &o)
        return Self.withIncludedData(.object(o), input)
    }

    func validateDefinition(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let text = try Self.required(input, "definition")
        let type = try Self.machineType(input)
        var limit = 100
        if let requested = input["maxResults"] {
            guard let n = requested.intValue, (0...100).contains(n) else {
                throw Self.validation("1 validation error detected: Value '\(requested)' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100")
            }
            if n > 0 { limit = n }
        }
        return Self.validation(of: text, express: type == .express, limit: limit)
    }

    /// ValidateStateMachineDefinition's answer for a definition text: at most `limit`
    /// diagnostics, and whether more were left out.
    public static func validation(of text: String, express: Bool = false, limit: Int = 100) -> JSONValue {
        let problems = DefinitionValidator.problems(in: text, express: express)
        let diagnostics: [JSONValue] = problems.prefix(limit).map { problem in
            var o: JSONObject = ["severity": "ERROR", "code": .string(problem.code), "message": .string(problem.message)]
            if let location = problem.location { o["location"] = .string(location) }
            return .object(o)
        }
        return ["result": problems.isEmpty ? "OK" : "FAIL", "diagnostics": .array(diagnostics), "truncated": .bool(problems.count > limit)]
    }
}
