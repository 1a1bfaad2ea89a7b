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
        let (machine, version, aliasArn) = try resolve(try Self.required(input, "stateMachineArn"))
        if express, machine.type != .express {
            throw Self.error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
        }
        let name = input["name"]?.stringValue ?? names.withLock { $0.uuidV4() }
        try Self.checkName(name)
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
            aliasArn: aliasArn)
        store.addExecution(execution)
        return (execution, false, parsed)
    }

    func interpreter(for execution: StatesStore.Execution, request: ServiceRequest) -> Interpreter {
        let info = ExecutionInfo(
            arn: execution.arn, name: execution.name, stateMachineArn: execution.machineArn, stateMachineName: execution.machineName,
            roleArn: execution.roleArn, startMillis: execution.startMillis, region: request.caller.region, account: request.caller.account)
        let executionClock = ScaledExecutionClock(clock: clock, scale: timeScale)
        var interpreter = Interpreter(
            info: info, clock: executionClock, tasks: tasks(executionClock), history: execution.history,
            seed: seed)
        interpreter.mapRuns = StoreMapRunRegistry(store: store)
        interpreter.callbacks = activities
        return interpreter
    }

    /// Runs an execution to its end (or, redriven, from where it failed) and records the outcome.
    func run(_ execution: StatesStore.Execution, request: ServiceRequest, resume: Interpreter.ResumePoint? = nil, input parsed: JSONValue? = nil) async {
        let input = parsed ?? (try? JSONParser.parse(execution.input)) ?? [:]
        let (outcome, resumePoint) = await interpreter(for: execution, request: request)
            .run(execution.definition, input: input, resume: resume, redriveCount: execution.redriveInfo.count)
        execution.setResumePoint(resumePoint)
        switch outcome {
        case .succeeded(let output):
            execution.finish(status: .succeeded, output: output.jsonString, error: nil, cause: nil, at: clock.nowMillis())
        case .failed(let error):
            execution.finish(status: .failed, output: nil, error: error.error, cause: error.cause, at: clock.nowMillis())
        case .timedOut(let error):
            execution.finish(status: .timedOut, output: nil, error: error.error, cause: error.cause, at: clock.nowMillis())
        }
    }

    func launch(_ execution: StatesStore.Execution, request: ServiceRequest, resume: Interpreter.ResumePoint? = nil, input: JSONValue? = nil) {
        _ = execution.startRunner { [self] in await run(execution, request: request, resume: resume, input: input) }
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
