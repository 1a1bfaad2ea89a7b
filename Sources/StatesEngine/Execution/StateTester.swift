public import JSONCore

/// TestState: one state, one input, optionally a mocked task result or error. Reports what
/// the state produced, where it would go next, and whether its Retry or Catch applied.
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
public struct StateTester: Sendable {
    public struct Mock: Sendable {
        public var result: JSONValue?
        public var error: StatesError?
        public init(result: JSONValue?, error: StatesError?) {
            self.result = result
            self.error = error
        }
    }

    /// TestState's `status`, as the API spells it.
    public enum Status: String, Sendable {
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"
        case retriable = "RETRIABLE"
        case caughtError = "CAUGHT_ERROR"
    }

    public struct Result: Sendable {
        public var status: Status
        public var output: JSONValue?
        public var error: StatesError?
        public var nextState: String?
        public var inspection: JSONObject
    }

    let interpreter: Interpreter

    public init(interpreter: Interpreter) { self.interpreter = interpreter }

    /// Mocked tasks answer with the mock instead of calling their resource.
    struct MockedTasks: TaskInvoker {
        let mock: Mock
        let real: any TaskInvoker

        func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
            if let error = mock.error { throw error }
            if let result = mock.result { return result }
            return try await real.invoke(resource: resource, parameters: parameters, context: context)
        }
    }

    /// `variables` are the workflow variables the state sees (TestState's `variables`).
    public func test(_ state: StateDefinition, input: JSONValue, mock: Mock?, retryCount: Int, variables: JSONObject? = nil) async -> Result {
        let tasks: any TaskInvoker = mock.map { MockedTasks(mock: $0, real: interpreter.tasks) } ?? interpreter.tasks
        let testing = Interpreter(info: interpreter.info, clock: interpreter.clock, tasks: tasks, history: ExecutionHistory(), seed: interpreter.seed)
        let run = Run(interpreter: testing, rawInput: input)
        let lane = HistoryLane(history: testing.history, clock: testing.clock, last: 0)
        var inspection = JSONObject()
        inspection["input"] = .string(input.jsonString)
        do throws(StatesError) {
            if let variables { try run.scope.assign(variables) }
            let (output, next) = try await stepOnce(state.withoutRetry, run: run, input: input, lane: lane, inspection: &inspection)
            return Result(status: .succeeded, output: output, error: nil, nextState: next, inspection: inspection)
        } catch {
            var failure = error
            failure.location = nil
            if failure.is(.runtime) || failure.is(.queryEvaluationError), let cause = failure.cause,
                !cause.hasPrefix("An error occurred while executing the state")
            {
                failure.cause = "An error occurred while executing the state '\(state.name)'. \(cause)"
            }
            if let (_, retrier) = state.retry.firstMatch(failure), retryCount < retrier.maxAttempts {
                return Result(status: .retriable, output: nil, error: failure, nextState: nil, inspection: inspection)
            }
            if let (index, catcher) = state.catchers.firstMatch(failure) {
                let now = testing.clock.nowMillis()
                let context = run.context(state: state.name, enteredMillis: now, retryCount: nil, mapItem: nil)
                do throws(StatesError) {
                    let (output, _) = try ErrorHandler(run: run).caught(
                        failure, by: catcher, index: index, state: state, input: input, context: context, nowMillis: now)
                    return Result(status: .caughtError, output: output, error: failure, nextState: catcher.next, inspection: inspection)
                } catch {
                    return Result(status: .failed, output: nil, error: error, nextState: nil, inspection: inspection)
                }
            }
            return Result(status: .failed, output: nil, error: failure, nextState: nil, inspection: inspection)
        }
    }

    /// One state, once: `state` comes without its Retry, and Catch is not applied here
    /// (TestState reports both itself), recording the intermediate values DEBUG inspection
    /// shows for JSONPath Pass and Task states.
    private func stepOnce(_ state: StateDefinition, run: Run, input: JSONValue, lane: HistoryLane, inspection: inout JSONObject) async throws(StatesError) -> (JSONValue, String?) {
        let context = run.context(state: state.name, enteredMillis: run.clock.nowMillis(), retryCount: state.type == .task ? 0 : nil, mapItem: nil)
        let effective = try state.inputPath.select(input, context: context)
        inspection["afterInputPath"] = .string(effective.jsonString)
        var result: JSONValue
        let placement: ResultPath
        switch state.kind {
        case .pass(let pass) where !state.isJSONata:
            let parameters = try run.payload(pass.parameters, input: effective, context: context) ?? effective
            inspection["afterParameters"] = .string(parameters.jsonString)
            result = pass.result ?? parameters
            inspection["result"] = .string(result.jsonString)
            placement = pass.resultPath
        case .task(let task) where !state.isJSONata:
            let parameters = try run.payload(task.parameters, input: effective, context: context) ?? effective
            inspection["afterParameters"] = .string(parameters.jsonString)
            let runner = TaskRunner(run: run, state: state, task: task, lane: lane)
            result = try await runner.invoke(parameters: parameters, timeout: task.timeout?.fixed, heartbeat: nil, token: nil)
            inspection["result"] = .string(result.jsonString)
            if let selected = try run.payload(task.resultSelector, input: result, context: context) {
                result = selected
                inspection["afterResultSelector"] = .string(result.jsonString)
            }
            placement = task.resultPath
        default:
            let machine = StateMachineDefinition(single: state)
            return try await MachineRunner(run: run).executeFirst(machine, input: input, lane: lane)
        }
        let placed = try placement.place(result, in: input)
        inspection["afterResultPath"] = .string(placed.jsonString)
        return (try state.outputPath.select(placed, context: context), state.next)
    }
}
