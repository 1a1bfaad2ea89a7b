import AWSWire
import Determinism
import JSONCore
import Locking
import ServiceKit
import StatesEngine

/// Executions: start (STANDARD in the background, EXPRESS synchronously), describe, stop,
/// list, history, redrive.
extension StatesOperations {
    func startExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let (execution, reused, parsed) = try prepareExecution(input, request, express: false)
        if !reused { launch(execution, request: request, input: parsed) }
        return ["executionArn": .string(execution.arn), "startDate": timestamp(execution.startMillis)]
    }

    /// Checks and stores a new execution; also answers whether it is one already running with
    /// the same input (StartExecution is idempotent) and the input as parsed, so it is parsed once.
    func prepareExecution(
        _ input: JSONObject, _ request: ServiceRequest, express: Bool
    ) throws(AWSServiceError) -> (execution: StatesStore.Execution, reused: Bool, input: JSONValue) {
        let (machineArn, caseName) = Self.testCase(try Self.required(input, "stateMachineArn"), request)
        let (machine, version, aliasArn) = try resolve(machineArn)
        if express, machine.type != .express {
            throw Self.error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
        }
        let name = input["name"]?.stringValue ?? names.withLock { $0.uuidV4() }
        try Self.checkName(name)
        let mocks = try (caseName ?? mockConfig.ruleTestCase(stateMachine: machine.name, execution: name)).map { testCase throws(AWSServiceError) in
            try mockedTestCase(testCase, machine: machine.name)
        }
        let text = input["input"]?.stringValue ?? "{}"
        guard text.utf8.count <= Interpreter.maximumPayloadBytes else {
            throw Self.error("InvalidExecutionInput", "Invalid State Machine Execution Input: 'The input exceeds the maximum size of 262144 bytes'")
        }
        guard let parsed = try? JSONParser.parse(text) else {
            throw Self.error("InvalidExecutionInput", "Invalid State Machine Execution Input: '\(text)'")
        }
        let region = request.caller.region, account = request.caller.account
        let arn: String
        if express || machine.type == .express {
            arn = "arn:aws:states:\(region):\(account):express:\(machine.name):\(name):\(names.withLock { $0.uuidV4() })"
        } else {
            arn = "arn:aws:states:\(region):\(account):execution:\(machine.name):\(name)"
            if let existing = store.execution(arn) {
                if existing.input == text, existing.snapshot.status == .running { return (existing, true, parsed) }
                throw Self.error("ExecutionAlreadyExists", "Execution Already Exists: '\(arn)'")
            }
        }
        let execution = StatesStore.Execution(
            arn: arn, name: name, machine: machine, input: text, startMillis: clock.nowMillis(), express: express || machine.type == .express, version: version,
            aliasArn: aliasArn, mocks: mocks)
        // On disk before it is known: a write the disk refuses leaves no execution behind.
        try store.persist(execution: execution)
        store.addExecution(execution)
        observer?.executionStarted(type: Self.typeName(execution))
        return (execution, false, parsed)
    }

    /// The header that chooses a test case without changing the ARN, for clients that build
    /// it themselves.
    static let testCaseHeader = "X-Understudy-Test-Case"

    /// `stateMachineArn` without a Step Functions Local test case suffix (`…:Machine#HappyPath`),
    /// and the test case, from the suffix or else the `X-Understudy-Test-Case` header. Real
    /// AWS has no such suffix (the `#` would be part of the name); it is the local convention
    /// Step Functions Local, LocalStack and their users' tests share.
    static func testCase(_ stateMachineArn: String, _ request: ServiceRequest) -> (arn: String, testCase: String?) {
        if let mark = stateMachineArn.firstIndex(of: "#") {
            return (String(stateMachineArn[..<mark]), String(stateMachineArn[stateMachineArn.index(after: mark)...]))
        }
        let header = request.header(testCaseHeader).flatMap { $0.isEmpty ? nil : $0 }
        return (stateMachineArn, header)
    }

    /// The test case `name` of the machine `machine` in the mock configuration in force, with
    /// fresh counters; a name it does not have is refused, saying what there is.
    func mockedTestCase(_ name: String, machine: String) throws(AWSServiceError) -> MockedTestCase {
        let loaded = mockConfig.current()
        guard let config = loaded.config else {
            throw Self.validation(
                "No mock configuration is loaded, so the test case '\(name)' cannot run: set SFN_MOCK_CONFIG or --mock-config to a MockConfigFile.json, "
                    + "or POST one to /_understudy/mock-config.\(loaded.problem.map { " The file was refused: \($0)" } ?? "")")
        }
        guard let testCase = config.testCase(name, stateMachine: machine) else {
            let known = config.stateMachines[machine].map { $0.keys.sorted().joined(separator: ", ") }
            let origin = loaded.path.map { " (\($0))" } ?? ""
            throw Self.validation(
                known.map { "The mock configuration\(origin) has no test case '\(name)' for the state machine '\(machine)'; it has: \($0)." }
                    ?? "The mock configuration\(origin) has no state machine '\(machine)' under StateMachines.")
        }
        return testCase
    }

    /// The interpreter for `execution`. `notBefore` is a resumed execution's last recorded
    /// time: its clock starts no earlier, so its history never goes back in time (with time
    /// scale 0 an execution's clock runs ahead of the server's by the waits it skipped).
    func interpreter(for execution: StatesStore.Execution, request: ServiceRequest, notBefore: Int64? = nil) -> Interpreter {
        let info = ExecutionInfo(
            arn: execution.arn, name: execution.name, stateMachineArn: execution.machineArn, stateMachineName: execution.machineName,
            roleArn: execution.roleArn, startMillis: execution.startMillis, region: request.caller.region, account: request.caller.account)
        let executionClock = ScaledExecutionClock(clock: clock, scale: timeScale, notBefore: notBefore)
        var interpreter = Interpreter(
            info: info, clock: executionClock, tasks: NestedExecutions(operations: self, inner: tasks(executionClock)), history: execution.history,
            seed: seed)
        interpreter.mapRuns = StoreMapRunRegistry(store: store)
        interpreter.callbacks = activities
        interpreter.mocks = execution.mocks
        return interpreter
    }

    /// Runs an execution to its end (or, redriven, from where it failed) and records the outcome.
    func run(
        _ execution: StatesStore.Execution, request: ServiceRequest, resume: Interpreter.ResumePoint? = nil, input parsed: JSONValue? = nil,
        notBefore: Int64? = nil
    ) async {
        let input = parsed ?? (try? JSONParser.parse(execution.input)) ?? [:]
        let (outcome, resumePoint) = await interpreter(for: execution, request: request, notBefore: notBefore)
            .run(execution.definition, input: input, resume: resume, redriveCount: execution.redriveInfo.count)
        execution.setResumePoint(resumePoint)
        switch outcome {
        case .succeeded(let output):
            end(execution, .succeeded, output: output.jsonString, at: clock.nowMillis())
        case .failed(let error):
            end(execution, .failed, error: error.error, cause: error.cause, at: clock.nowMillis())
        case .timedOut(let error):
            end(execution, .timedOut, error: error.error, cause: error.cause, at: clock.nowMillis())
        }
        // Kept on disk with its end and its history; a write the disk refuses leaves the
        // record as it was when the execution started.
        try? store.persist(execution: execution)
    }

    /// Ends an execution and tells the observer, when this call is the one that ended it (a
    /// stopped execution's run ends later and changes nothing, so it is not counted twice).
    func end(_ execution: StatesStore.Execution, _ status: ExecutionStatus, output: String? = nil, error: String? = nil, cause: String? = nil, at millis: Int64) {
        guard execution.finish(status: status, output: output, error: error, cause: cause, at: millis), let observer else { return }
        observer.executionFinished(type: Self.typeName(execution), status: status.rawValue)
    }

    /// The execution's state machine type as AWS spells it.
    static func typeName(_ execution: StatesStore.Execution) -> String {
        (execution.express ? StateMachineType.express : StateMachineType.standard).rawValue
    }

    /// A request made by Understudy itself on a caller's behalf (a nested execution's start, a
    /// resumed execution): a fresh request id, the account and region it runs in.
    func internalRequest(account: String, region: String) -> ServiceRequest {
        ServiceRequest(
            method: "POST", path: "/", query: "", headers: [], body: [], requestId: names.withLock { $0.uuidV4() }, service: .states,
            caller: Caller(account: account, region: region, accessKeyId: nil))
    }

    /// Goes on with every STANDARD execution that was RUNNING when Understudy stopped, as AWS
    /// would: its history is replayed through the interpreter (`ExecutionHistory.replayRecorded`)
    /// and the execution continues from its last recorded event. A redriven execution, whose
    /// replay would have to begin at its redrive, and a mocked one, whose test case is not kept,
    /// end FAILED instead, saying why.
    public func resumeInterruptedExecutions() {
        for execution in store.interruptedExecutions() {
            let history = execution.history.all
            if history.contains(where: { $0.type == .executionRedriven }) {
                store.failInterrupted(
                    execution, cause: "Understudy stopped while this redriven execution was running; a redriven execution is not resumed after a restart.",
                    at: clock.nowMillis())
                continue
            }
            execution.history.replayRecorded()
            let parts = execution.arn.split(separator: ":", omittingEmptySubsequences: false)
            let region = parts.count > 4 ? String(parts[3]) : "us-east-1", account = parts.count > 4 ? String(parts[4]) : "000000000000"
            launch(execution, request: internalRequest(account: account, region: region), resumedAfter: history.last?.timestampMillis)
        }
    }

    func launch(
        _ execution: StatesStore.Execution, request: ServiceRequest, resume: Interpreter.ResumePoint? = nil, input: JSONValue? = nil, resumedAfter: Int64? = nil
    ) {
        _ = execution.startRunner { [self] in await run(execution, request: request, resume: resume, input: input, notBefore: resumedAfter) }
    }

    /// StartSyncExecution: EXPRESS only; answers when the execution ends (200 even if it failed).
    func startSyncExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> @Sendable () async -> JSONValue {
        let (execution, _, parsed) = try prepareExecution(input, request, express: true)
        return { [self] in
            // Its own task, as a STANDARD run's, so a reset can stop it.
            let runner = execution.startRunner { [self] in await run(execution, request: request, input: parsed) }
            await withTaskCancellationHandler { await runner.value } onCancel: { runner.cancel() }
            return ExecutionDocument(execution, timestamp: timestamp).startSyncAnswer(nowMillis: clock.nowMillis())
        }
    }

    func describeExecution(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        ExecutionDocument(try execution(try Self.required(input, "executionArn")), timestamp: timestamp).description
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

}
