import JSONCore

/// TestState: one state, one input, optionally a mocked task result or error. Reports what
/// the state produced, where it would go next, and whether its Retry or Catch applied.
public struct StateTester: Sendable {
    public struct Mock: Sendable {
        public var result: JSONValue?
        public var error: StatesError?
        public init(result: JSONValue?, error: StatesError?) {
            self.result = result
            self.error = error
        }
    }

    public struct Result: Sendable {
        public var status: String
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
            let (output, next) = try await run.stepOnce(state, input: input, lane: lane, inspection: &inspection)
            return Result(status: "SUCCEEDED", output: output, error: nil, nextState: next, inspection: inspection)
        } catch {
            var failure = error
            failure.location = nil
            if failure.is(.runtime) || failure.is(.queryEvaluationError), let cause = failure.cause,
                !cause.hasPrefix("An error occurred while executing the state")
            {
                failure.cause = "An error occurred while executing the state '\(state.name)'. \(cause)"
            }
            if [.task, .parallel, .map].contains(state.kind) {
                if let (_, retrier) = run.matchingRule(state["Retry"], failure), retryCount < (retrier["MaxAttempts"]?.intValue ?? 3) {
                    return Result(status: "RETRIABLE", output: nil, error: failure, nextState: nil, inspection: inspection)
                }
                if let (index, catcher) = run.matchingRule(state["Catch"], failure) {
                    let context = run.context(state: state.name, enteredMillis: testing.clock.nowMillis(), retryCount: nil, mapItem: nil)
                    do throws(StatesError) {
                        let (output, _) = try run.caught(failure, by: catcher, index: index, state: state, input: input, context: context)
                        return Result(status: "CAUGHT_ERROR", output: output, error: failure, nextState: catcher["Next"]?.stringValue, inspection: inspection)
                    } catch {
                        return Result(status: "FAILED", output: nil, error: error, nextState: nil, inspection: inspection)
                    }
                }
            }
            return Result(status: "FAILED", output: nil, error: failure, nextState: nil, inspection: inspection)
        }
    }
}

extension Run {
    /// One state, without Retry or Catch (TestState reports those itself), recording the
    /// intermediate values DEBUG inspection shows.
    func stepOnce(_ state: StateDefinition, input: JSONValue, lane: HistoryLane, inspection: inout JSONObject) async throws(StatesError) -> (JSONValue, String?) {
        let now = interpreter.clock.nowMillis()
        let context = self.context(state: state.name, enteredMillis: now, retryCount: state.kind == .task ? 0 : nil, mapItem: nil)
        let effective = try PathFields.select("InputPath", state["InputPath"], input: input, context: context)
        inspection["afterInputPath"] = .string(effective.jsonString)
        switch state.kind {
        case .task where !state.isJSONata, .pass where !state.isJSONata:
            let parameters = try template(state["Parameters"], input: effective, context: context) ?? effective
            inspection["afterParameters"] = .string(parameters.jsonString)
            var result = state.kind == .pass ? (state["Result"] ?? parameters) : try await task(state, parameters: parameters, lane: lane)
            inspection["result"] = .string(result.jsonString)
            if state.kind == .task, let selected = try template(state["ResultSelector"], input: result, context: context) {
                result = selected
                inspection["afterResultSelector"] = .string(result.jsonString)
            }
            let placed = try PathFields.apply(state["ResultPath"], input: input, result: result)
            inspection["afterResultPath"] = .string(placed.jsonString)
            return (try PathFields.select("OutputPath", state["OutputPath"], input: placed, context: context), state.next)
        default:
            let machine = StateMachineDefinition(single: state)
            let output = try await execute(machine, input: input, lane: lane, mapItem: nil, stopAfterFirst: true)
            return (output.0, output.1)
        }
    }
}
