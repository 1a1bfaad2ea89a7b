import AWSWire
import BedrockEngine
import Determinism
import JSONCore
import StatesEngine
import Synchronization

/// Step Functions' API over the interpreter: state machines, executions (STANDARD in the
/// background, EXPRESS through StartSyncExecution), history.
final class StatesOperations: Sendable {
    let store = StatesStore()
    let clock: any ServerClock
    let timeScale: Double
    let dispatcher: Dispatcher
    let seed: UInt64
    let names = Mutex(SeededRandom(seed: 0, label: "execution-names"))

    init(clock: any ServerClock, timeScale: Double, dispatcher: Dispatcher, seed: UInt64) {
        self.clock = clock
        self.timeScale = timeScale
        self.dispatcher = dispatcher
        self.seed = seed
        names.withLock { $0 = SeededRandom(seed: seed, label: "execution-names") }
    }

    static func error(_ code: String, _ message: String) -> AWSServiceError {
        AWSServiceError(code: code, message: message, status: 400, namespace: StatesFrontEnd.namespace)
    }

    static func validation(_ message: String) -> AWSServiceError {
        AWSServiceError(code: "ValidationException", message: message, status: 400, namespace: ServiceErrors.coralValidate)
    }

    func timestamp(_ millis: Int64) -> JSONValue { AWSTimestamp.epochSecondsNumber(epochMillis: millis) }

    var operations: [String: StatesFrontEnd.Operation] {
        coreOperations.merging(versionOperations) { first, _ in first }
    }

    var coreOperations: [String: StatesFrontEnd.Operation] {
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

    static func checkName(_ name: String) throws(AWSServiceError) {
        let forbidden = Set(" <>{}[]?*\"#%\\^|~`$&,;:/".unicodeScalars)
        guard (1...80).contains(name.count), !name.unicodeScalars.contains(where: { forbidden.contains($0) || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
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

    static func parseDefinition(_ text: String) throws(AWSServiceError) -> StateMachineDefinition {
        guard text.utf8.count <= 1_048_576 else { throw error("InvalidDefinition", "Invalid State Machine Definition: 'The definition is larger than 1 MiB'") }
        do { return try StateMachineDefinition(text: text) } catch {
            throw Self.error("InvalidDefinition", "Invalid State Machine Definition: '\(error.code): \(error.message) at \(error.location)'")
        }
    }

    // MARK: - State machines

    func createStateMachine(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let name = try Self.required(input, "name")
        let text = try Self.required(input, "definition")
        let role = try Self.required(input, "roleArn")
        try Self.checkName(name)
        let type = input["type"]?.stringValue ?? "STANDARD"
        guard ["STANDARD", "EXPRESS"].contains(type) else {
            throw Self.validation("1 validation error detected: Value '\(type)' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]")
        }
        guard let roleArn = ARN(role), roleArn.service == "iam" else { throw Self.error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: \(role)'") }
        let definition = try Self.parseDefinition(text)
        let arn = "arn:aws:states:\(request.caller.region):\(request.caller.account):stateMachine:\(name)"
        if let existing = store.machine(arn) {
            guard existing.definitionText == text, existing.roleArn == role, existing.type == type else {
                throw Self.error("StateMachineAlreadyExists", "State Machine Already Exists: '\(arn)'")
            }
            return ["stateMachineArn": .string(arn), "creationDate": timestamp(existing.creationMillis)]
        }
        let now = clock.nowMillis()
        let logging = input["loggingConfiguration"] ?? ["level": "OFF", "includeExecutionData": false]
        let machine = StatesStore.Machine(
            arn: arn, name: name, type: type, definitionText: text, definition: definition, roleArn: role, createdAt: now, logging: logging,
            tracing: input["tracingConfiguration"]?["enabled"]?.boolValue ?? false)
        machine.tags = (input["tags"]?.arrayValue ?? []).compactMap { tag in tag["key"]?.stringValue.map { ($0, tag["value"]?.stringValue ?? "") } }
        store.addMachine(machine)
        var out: JSONObject = ["stateMachineArn": .string(arn), "creationDate": timestamp(now)]
        if input["publish"]?.boolValue == true { out["stateMachineVersionArn"] = .string(publish(machine, description: input["versionDescription"]?.stringValue)) }
        return .object(out)
    }

    func describe(_ machine: StatesStore.Machine) -> JSONValue {
        var o = JSONObject()
        o["stateMachineArn"] = .string(machine.arn)
        o["name"] = .string(machine.name)
        o["status"] = "ACTIVE"
        o["definition"] = .string(machine.definitionText)
        o["roleArn"] = .string(machine.roleArn)
        o["type"] = .string(machine.type)
        o["creationDate"] = timestamp(machine.creationMillis)
        o["loggingConfiguration"] = machine.loggingConfiguration
        o["tracingConfiguration"] = ["enabled": .bool(machine.tracingEnabled)]
        if !machine.revisionId.isEmpty { o["revisionId"] = .string(machine.revisionId) }
        return .object(o)
    }

    func describeStateMachine(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineArn")
        let (machine, version, _) = try resolve(arn)
        guard let version, Self.split(arn).qualifier.flatMap({ Int($0) }) != nil else { return describe(machine) }
        guard case .object(var o) = describe(machine) else { return nil }
        o["stateMachineArn"] = .string(arn)
        o["definition"] = .string(version.definitionText)
        o["roleArn"] = .string(version.roleArn)
        o["creationDate"] = timestamp(version.createdMillis)
        if let d = version.description { o["description"] = .string(d) }
        if !version.revisionId.isEmpty { o["revisionId"] = .string(version.revisionId) }
        return .object(o)
    }

    func listStateMachines(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let prefix = "arn:aws:states:\(request.caller.region):\(request.caller.account):stateMachine:"
        let all = store.machines(prefix: prefix)
        let (page, next) = try paginate(all, input: input, kind: "state-machines")
        var o = JSONObject()
        o["stateMachines"] = .array(page.map { ["stateMachineArn": .string($0.arn), "name": .string($0.name), "type": .string($0.type), "creationDate": timestamp($0.creationMillis)] })
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
        store.removeMachine(arn)
        return [:]
    }

    func updateStateMachine(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try machine(try Self.required(input, "stateMachineArn"))
        guard input["definition"] != nil || input["roleArn"] != nil || input["loggingConfiguration"] != nil || input["tracingConfiguration"] != nil else {
            throw Self.error("MissingRequiredParameter", "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
        }
        if let text = input["definition"]?.stringValue {
            machine.definition = try Self.parseDefinition(text)
            machine.definitionText = text
        }
        if let role = input["roleArn"]?.stringValue { machine.roleArn = role }
        if let logging = input["loggingConfiguration"] { machine.loggingConfiguration = logging }
        machine.updateMillis = clock.nowMillis()
        var random = SeededRandom(seed: seed ^ StableHash.of(machine.arn + String(machine.updateMillis)), label: "revision")
        machine.revisionId = random.uuidV4()
        var out: JSONObject = ["updateDate": timestamp(machine.updateMillis), "revisionId": .string(machine.revisionId)]
        if input["publish"]?.boolValue == true { out["stateMachineVersionArn"] = .string(publish(machine, description: input["versionDescription"]?.stringValue)) }
        return .object(out)
    }

    // MARK: - Executions

    func startExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let (execution, reused) = try prepareExecution(input, request, express: false)
        if !reused { launch(execution, request: request) }
        return ["executionArn": .string(execution.arn), "startDate": timestamp(execution.startMillis)]
    }

    func prepareExecution(_ input: JSONObject, _ request: ServiceRequest, express: Bool) throws(AWSServiceError) -> (StatesStore.Execution, Bool) {
        let (machine, version, aliasArn) = try resolve(try Self.required(input, "stateMachineArn"))
        if express, machine.type != "EXPRESS" {
            throw Self.error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
        }
        let name = input["name"]?.stringValue ?? names.withLock { $0.uuidV4() }
        try Self.checkName(name)
        let text = input["input"]?.stringValue ?? "{}"
        guard text.utf8.count <= Interpreter.maximumPayloadBytes else {
            throw Self.error("InvalidExecutionInput", "Invalid State Machine Execution Input: 'The input exceeds the maximum size of 262144 bytes'")
        }
        guard (try? JSONParser.parse(text)) != nil else {
            throw Self.error("InvalidExecutionInput", "Invalid State Machine Execution Input: '\(text)'")
        }
        let region = request.caller.region, account = request.caller.account
        let arn: String
        if express || machine.type == "EXPRESS" {
            arn = "arn:aws:states:\(region):\(account):express:\(machine.name):\(name):\(names.withLock { $0.uuidV4() })"
        } else {
            arn = "arn:aws:states:\(region):\(account):execution:\(machine.name):\(name)"
            if let existing = store.execution(arn) {
                if existing.input == text, existing.snapshot.status == "RUNNING" { return (existing, true) }
                throw Self.error("ExecutionAlreadyExists", "Execution Already Exists: '\(arn)'")
            }
        }
        let execution = StatesStore.Execution(
            arn: arn, name: name, machine: machine, input: text, startMillis: clock.nowMillis(), express: express || machine.type == "EXPRESS", version: version)
        execution.versionArn = version.map { "\(machine.arn):\($0.number)" }
        execution.aliasArn = aliasArn
        store.addExecution(execution)
        return (execution, false)
    }

    func interpreter(for execution: StatesStore.Execution, request: ServiceRequest) -> Interpreter {
        let info = ExecutionInfo(
            arn: execution.arn, name: execution.name, stateMachineArn: execution.machineArn, stateMachineName: execution.machineName,
            roleArn: execution.roleArn, startMillis: execution.startMillis, region: request.caller.region, account: request.caller.account)
        let executionClock = ScaledExecutionClock(clock: clock, scale: timeScale)
        return Interpreter(
            info: info, clock: executionClock, tasks: BedrockTaskInvoker(dispatcher: dispatcher, clock: executionClock), history: execution.history,
            seed: seed)
    }

    /// Runs an execution to its end (or, redriven, from where it failed) and records the outcome.
    func run(_ execution: StatesStore.Execution, request: ServiceRequest, resume: Interpreter.ResumePoint? = nil) async {
        let input = (try? JSONParser.parse(execution.input)) ?? [:]
        let (outcome, resumePoint) = await interpreter(for: execution, request: request)
            .run(execution.definition, input: input, resume: resume, redriveCount: execution.redriveInfo.count)
        execution.setResumePoint(resumePoint)
        switch outcome {
        case .succeeded(let output):
            execution.finish(status: "SUCCEEDED", output: output.jsonString, error: nil, cause: nil, at: clock.nowMillis())
        case .failed(let error):
            execution.finish(status: "FAILED", output: nil, error: error.error, cause: error.cause, at: clock.nowMillis())
        case .timedOut(let error):
            execution.finish(status: "TIMED_OUT", output: nil, error: error.error, cause: error.cause, at: clock.nowMillis())
        }
    }

    func launch(_ execution: StatesStore.Execution, request: ServiceRequest, resume: Interpreter.ResumePoint? = nil) {
        execution.setRunner(Task { await run(execution, request: request, resume: resume) })
    }

    /// StartSyncExecution: EXPRESS only; answers when the execution ends (200 even if it failed).
    func startSyncExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> @Sendable () async -> JSONValue {
        let (execution, _) = try prepareExecution(input, request, express: true)
        return { [self] in
            await run(execution, request: request)
            let s = execution.snapshot
            var o = JSONObject()
            o["executionArn"] = .string(execution.arn)
            o["stateMachineArn"] = .string(execution.machineArn)
            o["name"] = .string(execution.name)
            o["startDate"] = timestamp(execution.startMillis)
            o["stopDate"] = timestamp(s.stopMillis ?? clock.nowMillis())
            o["status"] = .string(s.status)
            if let error = s.error { o["error"] = .string(error) }
            if let cause = s.cause { o["cause"] = .string(cause) }
            o["input"] = .string(execution.input)
            o["inputDetails"] = ["included": true]
            if let output = s.output {
                o["output"] = .string(output)
                o["outputDetails"] = ["included": true]
            }
            o["billingDetails"] = [
                "billedMemoryUsedInMB": 64,
                "billedDurationInMilliseconds": JSONValue(max(100, Int(((s.stopMillis ?? execution.startMillis) - execution.startMillis + 99) / 100 * 100))),
            ]
            return .object(o)
        }
    }

    func describeExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let execution = try execution(try Self.required(input, "executionArn"))
        let s = execution.snapshot
        var o = JSONObject()
        o["executionArn"] = .string(execution.arn)
        o["stateMachineArn"] = .string(execution.machineArn)
        o["name"] = .string(execution.name)
        o["status"] = .string(s.status)
        o["startDate"] = timestamp(execution.startMillis)
        if let stop = s.stopMillis { o["stopDate"] = timestamp(stop) }
        o["input"] = .string(execution.input)
        o["inputDetails"] = ["included": true]
        if let output = s.output {
            o["output"] = .string(output)
            o["outputDetails"] = ["included": true]
        }
        if let error = s.error { o["error"] = .string(error) }
        if let cause = s.cause { o["cause"] = .string(cause) }
        if let version = execution.versionArn { o["stateMachineVersionArn"] = .string(version) }
        if let alias = execution.aliasArn { o["stateMachineAliasArn"] = .string(alias) }
        let redrive = execution.redriveInfo
        o["redriveCount"] = JSONValue(redrive.count)
        if let last = redrive.lastMillis { o["redriveDate"] = timestamp(last) }
        let redrivable = !execution.express && ["FAILED", "TIMED_OUT", "ABORTED"].contains(s.status) && redrive.resume != nil
        o["redriveStatus"] = redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE"
        if !redrivable, s.status != "RUNNING" { o["redriveStatusReason"] = .string("Execution is \(s.status) and cannot be redriven") }
        return .object(o)
    }

    /// TestState: the state alone, or `stateName` of a whole machine, run once (waits instant),
    /// answered when it has run.
    func prepareTestState(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> @Sendable () async -> JSONValue {
        let text = try Self.required(input, "definition")
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(text) } catch {
            throw Self.error("InvalidDefinition", "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: \(error.description)'")
        }
        let state: StateDefinition
        do {
            if parsed["States"] != nil {
                let machine = try StateMachineDefinition(json: parsed, path: "")
                let name = input["stateName"]?.stringValue ?? machine.startAt
                guard let found = machine.states[name] else { throw Self.error("InvalidDefinition", "Invalid State Machine Definition: 'State \(name) not found'") }
                state = found
            } else {
                state = try StateDefinition.single(name: input["stateName"]?.stringValue ?? "TestState", json: parsed)
            }
        } catch let problem as StateMachineDefinition.Problem {
            throw Self.error("InvalidDefinition", "Invalid State Machine Definition: '\(problem.code): \(problem.message) at \(problem.location)'")
        } catch let error as AWSServiceError {
            throw error
        } catch {
            throw Self.error("InvalidDefinition", "Invalid State Machine Definition: '\(error)'")
        }
        let inputText = input["input"]?.stringValue ?? "{}"
        guard let stateInput = try? JSONParser.parse(inputText) else {
            throw Self.error("InvalidExecutionInput", "Invalid State Machine Execution Input: '\(inputText)'")
        }
        var mock: StateTester.Mock? = nil
        if let m = input["mock"] {
            if let result = m["result"]?.stringValue {
                guard let value = try? JSONParser.parse(result) else { throw Self.validation("The mock result must be valid JSON") }
                mock = .init(result: value, error: nil)
            } else if let errorOutput = m["errorOutput"] {
                mock = .init(result: nil, error: StatesError(errorOutput["error"]?.stringValue ?? "", errorOutput["cause"]?.stringValue))
            }
        }
        let level = input["inspectionLevel"]?.stringValue ?? "INFO"
        let retryCount = input["stateConfiguration"]?["retrierRetryCount"]?.intValue ?? 0
        let info = ExecutionInfo(
            arn: "arn:aws:states:\(request.caller.region):\(request.caller.account):execution:TestStateMachine:TestState", name: "TestState",
            stateMachineArn: "arn:aws:states:\(request.caller.region):\(request.caller.account):stateMachine:TestStateMachine",
            stateMachineName: "TestStateMachine", roleArn: input["roleArn"]?.stringValue ?? "", startMillis: clock.nowMillis(),
            region: request.caller.region, account: request.caller.account)
        let executionClock = ScaledExecutionClock(clock: clock, scale: 0)
        let interpreter = Interpreter(
            info: info, clock: executionClock, tasks: BedrockTaskInvoker(dispatcher: dispatcher, clock: executionClock), history: ExecutionHistory(), seed: seed)
        let finalMock = mock
        return {
            let result = await StateTester(interpreter: interpreter).test(state, input: stateInput, mock: finalMock, retryCount: retryCount)
            var o = JSONObject()
            if let output = result.output { o["output"] = .string(output.jsonString) }
            if let error = result.error {
                o["error"] = .string(error.error)
                if let cause = error.cause { o["cause"] = .string(cause) }
            }
            if level != "INFO" { o["inspectionData"] = .object(result.inspection) }
            if let next = result.nextState { o["nextState"] = .string(next) }
            o["status"] = .string(result.status)
            return .object(o)
        }
    }

    func redriveExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let execution = try execution(try Self.required(input, "executionArn"))
        let now = clock.nowMillis()
        let resume = execution.redriveInfo.resume
        guard !execution.express, let resume, execution.restart(at: now) else {
            throw Self.error("ExecutionNotRedrivable", "Execution with arn \(execution.arn) cannot be redriven")
        }
        launch(execution, request: request, resume: resume)
        return ["redriveDate": timestamp(now)]
    }

    func stopExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let execution = try execution(try Self.required(input, "executionArn"))
        let now = clock.nowMillis()
        if execution.snapshot.status == "RUNNING" {
            execution.finish(status: "ABORTED", output: nil, error: input["error"]?.stringValue, cause: input["cause"]?.stringValue, at: now)
            execution.history.recordAborted(error: input["error"]?.stringValue, cause: input["cause"]?.stringValue, at: now)
            execution.cancelRunner()
        }
        return ["stopDate": timestamp(execution.snapshot.stopMillis ?? now)]
    }

    func listExecutions(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try machine(try Self.required(input, "stateMachineArn"))
        if machine.type == "EXPRESS" {
            throw Self.error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
        }
        var all = store.executions(of: machine.arn)
        if let filter = input["statusFilter"]?.stringValue { all = all.filter { $0.snapshot.status == filter } }
        let (page, next) = try paginate(all, input: input, kind: "executions")
        var o = JSONObject()
        o["executions"] = .array(page.map { e in
            let s = e.snapshot
            var item = JSONObject()
            item["executionArn"] = .string(e.arn)
            item["stateMachineArn"] = .string(e.machineArn)
            item["name"] = .string(e.name)
            item["status"] = .string(s.status)
            item["startDate"] = timestamp(e.startMillis)
            if let stop = s.stopMillis { item["stopDate"] = timestamp(stop) }
            return .object(item)
        })
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
            e["type"] = .string(event.type)
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
        return .object(o)
    }

    func validateDefinition(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        Self.validation(of: try Self.required(input, "definition"))
    }

    /// ValidateStateMachineDefinition's answer for a definition text.
    static func validation(of text: String) -> JSONValue {
        do {
            _ = try StateMachineDefinition(text: text)
            return ["result": "OK", "diagnostics": [], "truncated": false]
        } catch {
            return [
                "result": "FAIL",
                "diagnostics": [["severity": "ERROR", "code": .string(error.code), "message": .string(error.message), "location": .string(error.location)]],
                "truncated": false,
            ]
        }
    }

    // MARK: - Tags

    func taggedMachine(_ input: JSONObject) throws(AWSServiceError) -> StatesStore.Machine {
        let arn = try Self.required(input, "resourceArn")
        guard ARN(arn) != nil else { throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'") }
        guard let machine = store.machine(arn) else { throw Self.error("ResourceNotFound", "Resource not found: '\(arn)'") }
        return machine
    }

    func tagResource(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try taggedMachine(input)
        for tag in input["tags"]?.arrayValue ?? [] {
            guard let key = tag["key"]?.stringValue else { continue }
            machine.tags.removeAll { $0.0 == key }
            machine.tags.append((key, tag["value"]?.stringValue ?? ""))
        }
        guard machine.tags.count <= 50 else { throw Self.error("TooManyTags", "Too many tags: '\(machine.arn)'") }
        return [:]
    }

    func untagResource(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try taggedMachine(input)
        let keys = Set((input["tagKeys"]?.arrayValue ?? []).compactMap(\.stringValue))
        machine.tags.removeAll { keys.contains($0.0) }
        return [:]
    }

    func listTags(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try taggedMachine(input)
        return ["tags": .array(machine.tags.map { ["key": .string($0.0), "value": .string($0.1)] })]
    }

    // MARK: - Admin view

    /// Recent executions, express ones included, with what AWS cannot show for express runs:
    /// input, output and the states visited.
    func recentExecutions(limit: Int) -> JSONValue {
        .array(store.recentExecutions(limit: limit).map { e in
            let s = e.snapshot
            var o = JSONObject()
            o["executionArn"] = .string(e.arn)
            o["stateMachineArn"] = .string(e.machineArn)
            o["name"] = .string(e.name)
            o["type"] = e.express ? "EXPRESS" : "STANDARD"
            o["status"] = .string(s.status)
            o["startDate"] = .string(AWSTimestamp.iso8601(epochMillis: e.startMillis))
            if let stop = s.stopMillis { o["stopDate"] = .string(AWSTimestamp.iso8601(epochMillis: stop)) }
            o["input"] = (try? JSONParser.parse(e.input)) ?? .string(e.input)
            if let output = s.output { o["output"] = (try? JSONParser.parse(output)) ?? .string(output) }
            if let error = s.error { o["error"] = .string(error) }
            if let cause = s.cause { o["cause"] = .string(cause) }
            o["statesVisited"] = .array(e.history.all.filter { $0.type.hasSuffix("StateEntered") }.compactMap { $0.details?.value["name"] })
            return .object(o)
        })
    }
}
