import Determinism
import JSONCore
import Locking

/// Runs a state machine (JSONPath query language): every state type, InputPath / Parameters /
/// ResultSelector / ResultPath / OutputPath, the `$$` context object, Retry and Catch, and
/// history events as AWS emits them. Map iterations and Parallel branches run as tasks taking
/// turns (ExecutionTurn).
public struct Interpreter: Sendable {
    public let info: ExecutionInfo
    public let clock: any ExecutionClock
    public let tasks: any TaskInvoker
    public let history: ExecutionHistory
    public let seed: UInt64
    /// Where Distributed Map runs and their children are registered for the API; nil keeps
    /// them private to the run (the CLI, TestState).
    public var mapRuns: (any MapRunRegistry)? = nil
    /// Where task tokens are answered and activity tasks queued; nil (the CLI) fails them.
    public var callbacks: (any TaskCallbacks)? = nil

    /// Step Functions' payload limit for state input and output.
    public static let maximumPayloadBytes = 262_144

    public init(info: ExecutionInfo, clock: any ExecutionClock, tasks: any TaskInvoker, history: ExecutionHistory, seed: UInt64) {
        self.info = info
        self.clock = clock
        self.tasks = tasks
        self.history = history
        self.seed = seed
    }

    /// A finished execution.
    public enum Outcome: Sendable {
        case succeeded(JSONValue)
        case failed(StatesError)
        /// The state machine's TimeoutSeconds ran out.
        case timedOut(StatesError)
    }

    /// Where a redriven execution starts again: the top-level state that failed, and its input.
    public struct ResumePoint: Sendable {
        public var state: String
        public var input: JSONValue
    }

    /// Runs the whole execution, recording ExecutionStarted … ExecutionSucceeded/Failed. With
    /// `resume`, continues a redriven execution from that point after an ExecutionRedriven event.
    /// Returns the outcome and, on failure, where a redrive would resume.
    public func run(_ machine: StateMachineDefinition, input: JSONValue, resume: ResumePoint? = nil, redriveCount: Int = 0) async -> (Outcome, ResumePoint?) {
        let lane = HistoryLane(history: history, clock: clock, last: history.all.last?.id ?? 0)
        if resume == nil {
            lane.executionStarted(input: input, roleArn: info.roleArn)
        } else {
            lane.add("ExecutionRedriven", ("executionRedrivenEventDetails", ["redriveCount": JSONValue(redriveCount)]))
        }
        let run = Run(interpreter: self, rawInput: input)
        if let timeout = machine.timeoutSeconds { run.deadline = clock.nowMillis() + Int64(timeout) * 1000 }
        do throws(StatesError) {
            let output = try await run.execute(machine, input: resume?.input ?? input, lane: lane, mapItem: nil, startAt: resume?.state, topLevel: true)
            lane.executionSucceeded(output: output)
            return (.succeeded(output), nil)
        } catch {
            // Stopped: StopExecution has recorded ExecutionAborted already.
            if Task.isCancelled { return (.failed(error), nil) }
            if run.timedOut {
                lane.executionEnded("ExecutionTimedOut", error)
                return (.timedOut(error), run.resumePoint)
            }
            lane.executionEnded("ExecutionFailed", error)
            return (.failed(error), run.resumePoint)
        }
    }
}

/// What one state did: its output, the state to go to (nil when the machine ends here) and
/// the variables it assigned.
struct StepResult {
    var output: JSONValue
    var next: String?
    var assigned: JSONObject? = nil
}

/// One execution's working state. A Parallel branch or Map iteration gets a Run of its own
/// (its variable scope) over the execution's shared part.
final class Run: Sendable {
    /// What every branch of one execution shares. Branches take turns (`turn`), and the state
    /// is under a lock besides, so sharing it is safe whatever the turns do.
    final class Shared: Sendable {
        struct State {
            var random: SeededRandom
            /// The state machine's TimeoutSeconds, as a time on the execution clock.
            var deadline: Int64?
            var timedOut = false
            /// The top-level state that failed, for RedriveExecution.
            var resumePoint: Interpreter.ResumePoint?
        }

        let state: Locked<State>
        let turn = ExecutionTurn()

        init(random: SeededRandom) { state = Locked(State(random: random)) }
    }

    let interpreter: Interpreter
    let rawInput: JSONValue
    let shared: Shared
    /// The variables the running state sees and assigns.
    let scope: VariableScope
    /// Tells the Parallel or Map running this branch that it waits on something outside the
    /// execution, so the next branch may start; nil for the execution itself.
    let onBlocked: (@Sendable () -> Void)?

    var deadline: Int64? {
        get { shared.state.withLock { $0.deadline } }
        set { shared.state.withLock { $0.deadline = newValue } }
    }
    var timedOut: Bool {
        get { shared.state.withLock { $0.timedOut } }
        set { shared.state.withLock { $0.timedOut = newValue } }
    }
    var resumePoint: Interpreter.ResumePoint? {
        get { shared.state.withLock { $0.resumePoint } }
        set { shared.state.withLock { $0.resumePoint = newValue } }
    }

    /// Runs `body` with the current scope where JSONPath `$name` references can read it.
    func withScope<T>(_ body: () async throws(StatesError) -> T) async throws(StatesError) -> T {
        let result = await VariableScope.$current.withValue(scope) { () async -> Result<T, StatesError> in
            do throws(StatesError) { return .success(try await body()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    func checkDeadline() throws(StatesError) {
        guard let deadline, interpreter.clock.nowMillis() >= deadline else { return }
        timedOut = true
        throw StatesError(.timeout, nil)
    }

    init(interpreter: Interpreter, rawInput: JSONValue) {
        self.interpreter = interpreter
        self.rawInput = rawInput
        shared = Shared(random: SeededRandom(seed: interpreter.seed, label: "execution:" + interpreter.info.arn))
        scope = VariableScope()
        onBlocked = nil
    }

    /// A branch or iteration of `parent`, in a scope of its own over the parent's.
    init(branchOf parent: Run, onBlocked: @escaping @Sendable () -> Void) {
        interpreter = parent.interpreter
        rawInput = parent.rawInput
        shared = parent.shared
        scope = VariableScope(parent: parent.scope)
        self.onBlocked = onBlocked
    }

    var info: ExecutionInfo { interpreter.info }

    /// The `$$` object. `State.RetryCount` exists only for states that can retry (Task);
    /// express executions have no `RedriveCount`.
    func context(state: String, enteredMillis: Int64, retryCount: Int?, mapItem: (Int, JSONValue)?, taskToken: String? = nil) -> JSONValue {
        var execution = JSONObject()
        execution["Id"] = .string(info.arn)
        execution["Input"] = rawInput
        execution["StartTime"] = .string(StatesTimestamp.format(millis: info.startMillis))
        execution["Name"] = .string(info.name)
        execution["RoleArn"] = .string(info.roleArn)
        if !info.arn.contains(":express:") { execution["RedriveCount"] = 0 }
        var o = JSONObject()
        o["Execution"] = .object(execution)
        o["StateMachine"] = ["Id": .string(info.stateMachineArn), "Name": .string(info.stateMachineName)]
        var stateObject: JSONObject = ["Name": .string(state), "EnteredTime": .string(StatesTimestamp.format(millis: enteredMillis))]
        if let retryCount { stateObject["RetryCount"] = JSONValue(retryCount) }
        o["State"] = .object(stateObject)
        if let (index, value) = mapItem { o["Map"] = ["Item": ["Index": JSONValue(index), "Value": value]] }
        if let taskToken { o["Task"] = ["Token": .string(taskToken)] }
        return .object(o)
    }

    func nextRandom() -> UInt64 { shared.state.withLock { $0.random.next() } }

    /// Runs states from StartAt until one ends the machine.
    func execute(
        _ machine: StateMachineDefinition, input: JSONValue, lane: HistoryLane, mapItem: (Int, JSONValue)?, startAt: String? = nil, topLevel: Bool = false
    ) async throws(StatesError) -> JSONValue {
        var name = startAt ?? machine.startAt
        var data = input
        while true {
            guard let state = machine.states[name] else { throw StatesError.runtime("State '\(name)' does not exist") }
            if lane.history.isFull { throw Self.historyExhausted }
            try checkDeadline()
            // StopExecution cancels the execution's task: stop at the next state.
            if Task.isCancelled { throw StatesError(.aborted, nil) }
            let entered = lane.add("\(state.kind.rawValue)StateEntered", ("stateEnteredEventDetails", ["name": .string(name), "input": .string(data.jsonString), "inputDetails": ["truncated": false]]))
            let enteredMillis = interpreter.clock.nowMillis()
            do throws(StatesError) {
                let stepped = try await withScope { () async throws(StatesError) -> StepResult in
                    try await step(state, input: data, lane: lane, entered: entered, enteredMillis: enteredMillis, mapItem: mapItem)
                }
                let output = stepped.output
                if Task.isCancelled { throw StatesError(.aborted, nil) }
                if lane.history.isFull { throw Self.historyExhausted }
                if output.jsonBytes.count > Interpreter.maximumPayloadBytes {
                    throw StatesError(.dataLimitExceeded, "The state/task '\(name)' returned a result with a size exceeding the maximum number of bytes service limit.")
                }
                if state.kind != .fail { lane.add("\(state.kind.rawValue)StateExited", ("stateExitedEventDetails", Self.exited(name, output, stepped.assigned))) }
                guard let next = stepped.next else { return output }
                name = next
                data = output
            } catch {
                // A full history ends the execution: nothing catches it, nothing more is recorded.
                if lane.history.isFull { throw Self.historyExhausted }
                var failure = error
                if failure.is(.runtime) || failure.is(.queryEvaluationError), let cause = failure.cause,
                    !cause.hasPrefix("An error occurred while executing the state")
                {
                    failure.cause = "An error occurred while executing the state '\(name)' (entered at the event id #\(entered)). \(cause)"
                }
                if let location = failure.location {
                    var details = JSONObject()
                    details["error"] = .string(failure.error)
                    details["cause"] = .string(failure.cause ?? "")
                    details["location"] = .string(location)
                    details["state"] = .string(name)
                    lane.add("EvaluationFailed", ("evaluationFailedEventDetails", .object(details)))
                    failure.location = nil
                }
                // Catch (Task, Parallel, Map); an execution timeout is not catchable.
                if !timedOut, [.task, .parallel, .map].contains(state.kind), let (index, catcher) = matchingRule(state["Catch"], failure) {
                    let context = self.context(state: name, enteredMillis: enteredMillis, retryCount: nil, mapItem: nil)
                    let (output, assigned) = try await withScope { () async throws(StatesError) -> (JSONValue, JSONObject?) in
                        try caught(failure, by: catcher, index: index, state: state, input: data, context: context)
                    }
                    lane.add("\(state.kind.rawValue)StateExited", ("stateExitedEventDetails", Self.exited(name, output, assigned)))
                    guard let next = catcher["Next"]?.stringValue else { throw failure }
                    name = next
                    data = output
                    continue
                }
                if topLevel { resumePoint = Interpreter.ResumePoint(state: name, input: data) }
                throw failure
            }
        }
    }

    static let historyExhausted = StatesError(.runtime, "The execution reached the maximum number of history events (\(ExecutionHistory.standardMaximumEvents)).")

    /// Runs just the first state of `machine` (TestState): its output and where it would go.
    func execute(_ machine: StateMachineDefinition, input: JSONValue, lane: HistoryLane, mapItem: (Int, JSONValue)?, stopAfterFirst: Bool) async throws(StatesError) -> (JSONValue, String?) {
        guard let state = machine.states[machine.startAt] else { throw StatesError.runtime("State '\(machine.startAt)' does not exist") }
        let entered = lane.add("\(state.kind.rawValue)StateEntered")
        let stepped = try await withScope { () async throws(StatesError) -> StepResult in
            try await step(state, input: input, lane: lane, entered: entered, enteredMillis: interpreter.clock.nowMillis(), mapItem: mapItem)
        }
        return (stepped.output, stepped.next)
    }

    /// A `*StateExited` event's details, with the variables the state assigned.
    static func exited(_ name: String, _ output: JSONValue, _ assigned: JSONObject?) -> JSONValue {
        var details: JSONObject = ["name": .string(name), "output": .string(output.jsonString), "outputDetails": ["truncated": false]]
        if let assigned {
            var texts = JSONObject()
            for member in assigned.storage { texts[member.key] = .string(member.value.jsonString) }
            details["assignedVariables"] = .object(texts)
            details["assignedVariablesDetails"] = ["truncated": false]
        }
        return .object(details)
    }

    /// The first Retry/Catch rule whose ErrorEquals names the error, and its index. `States.ALL` matches
    /// everything but the terminal `States.Runtime` and `States.DataLimitExceeded`;
    /// `States.TaskFailed` matches any task failure except `States.Timeout`.
    func matchingRule(_ rules: JSONValue?, _ failure: StatesError) -> (index: Int, rule: JSONValue)? {
        let terminal = failure.is(.runtime) || failure.is(.dataLimitExceeded)
        for (index, rule) in (rules?.arrayValue ?? []).enumerated() {
            let names = (rule["ErrorEquals"]?.arrayValue ?? []).compactMap(\.stringValue)
            if names.contains(failure.error) { return (index, rule) }
            if terminal { continue }
            if names.contains(StatesErrorName.all.rawValue) { return (index, rule) }
            // A missed heartbeat is a kind of timeout, and neither is a task failure.
            if names.contains(StatesErrorName.timeout.rawValue), failure.is(.heartbeatTimeout) { return (index, rule) }
            if names.contains(StatesErrorName.taskFailed.rawValue), !failure.is(.timeout), !failure.is(.heartbeatTimeout) { return (index, rule) }
        }
        return nil
    }

    func template(_ raw: JSONValue?, input: JSONValue, context: JSONValue) throws(StatesError) -> JSONValue? {
        guard let raw else { return nil }
        return try PayloadTemplate(input: input, context: context, random: { [self] in nextRandom() }).evaluate(raw)
    }

    /// What a state that caught `failure` hands on: JSONPath places the error output at the
    /// catcher's ResultPath, JSONata gives the catcher's Output (the error output by default).
    /// Either may assign variables from `$states.errorOutput` (JSONPath: `$`).
    func caught(_ failure: StatesError, by catcher: JSONValue, index: Int, state: StateDefinition, input: JSONValue, context: JSONValue) throws(StatesError) -> (JSONValue, JSONObject?) {
        let errorOutput: JSONValue = ["Error": .string(failure.error), "Cause": .string(failure.cause ?? "")]
        var assigned: JSONObject? = nil
        let output: JSONValue
        if state.isJSONata {
            var fields = jsonata(state, input: input, context: context)
            fields.set("errorOutput", errorOutput)
            output = try catcher["Output"].map { (t: JSONValue) throws(StatesError) -> JSONValue in try fields.evaluate(t, field: "Catch[\(index)]/Output") } ?? errorOutput
            if let assign = catcher["Assign"] { assigned = try fields.assignments(assign, field: "Catch[\(index)]/Assign") }
        } else {
            assigned = try assignments(catcher["Assign"], source: errorOutput, context: context)
            output = try PathFields.apply(catcher["ResultPath"], input: input, result: errorOutput)
        }
        if let assigned { try scope.assign(assigned) }
        return (output, assigned)
    }

    /// JSONPath `Assign`: a payload template over `source` (the state's result, or its input
    /// for states without one).
    func assignments(_ raw: JSONValue?, source: JSONValue, context: JSONValue) throws(StatesError) -> JSONObject? {
        guard let raw else { return nil }
        guard case .object(let o) = try template(raw, input: source, context: context) else { return nil }
        return o
    }

    func step(
        _ state: StateDefinition, input: JSONValue, lane: HistoryLane, entered: Int, enteredMillis: Int64, mapItem: (Int, JSONValue)?
    ) async throws(StatesError) -> StepResult {
        if state.isJSONata { return try await stepJSONata(state, input: input, lane: lane, enteredMillis: enteredMillis) }
        let context = self.context(state: state.name, enteredMillis: enteredMillis, retryCount: state.kind == .task ? 0 : nil, mapItem: nil)
        let effective = try PathFields.select("InputPath", state["InputPath"], input: input, context: context)
        /// Output and variables once the state has a result: ResultSelector, Assign (from the
        /// selected result), ResultPath, OutputPath.
        func finish(_ result: JSONValue, selector: Bool, next: String?) throws(StatesError) -> StepResult {
            var result = result
            if selector, let selected = try template(state["ResultSelector"], input: result, context: context) { result = selected }
            let assigned = try assignments(state["Assign"], source: result, context: context)
            let placed = try PathFields.apply(state["ResultPath"], input: input, result: result)
            let output = try PathFields.select("OutputPath", state["OutputPath"], input: placed, context: context)
            if let assigned { try scope.assign(assigned) }
            return StepResult(output: output, next: next, assigned: assigned)
        }
        /// States without a result: Assign reads the (InputPath-selected) input.
        func pass(_ next: String?, assign: JSONValue?) throws(StatesError) -> StepResult {
            let assigned = try assignments(assign, source: effective, context: context)
            let output = try PathFields.select("OutputPath", state["OutputPath"], input: effective, context: context)
            if let assigned { try scope.assign(assigned) }
            return StepResult(output: output, next: next, assigned: assigned)
        }
        switch state.kind {
        case .pass:
            let parameters = try template(state["Parameters"], input: effective, context: context) ?? effective
            return try finish(state["Result"] ?? parameters, selector: false, next: state.next)
        case .succeed:
            return StepResult(output: try PathFields.select("OutputPath", state["OutputPath"], input: effective, context: context), next: nil)
        case .fail:
            var error = state["Error"]?.stringValue
            var cause = state["Cause"]?.stringValue
            if let p = state["ErrorPath"]?.stringValue { error = try PayloadTemplate(input: effective, context: context, random: { 0 }).value(of: p, field: "ErrorPath").stringValue }
            if let p = state["CausePath"]?.stringValue { cause = try PayloadTemplate(input: effective, context: context, random: { 0 }).value(of: p, field: "CausePath").stringValue }
            throw StatesError(error ?? "", cause)
        case .choice:
            let evaluator = ChoiceEvaluator(input: effective, context: context)
            for rule in state["Choices"]?.arrayValue ?? [] where try evaluator.matches(rule) {
                return try pass(rule["Next"]?.stringValue, assign: rule["Assign"])
            }
            guard let fallback = state["Default"]?.stringValue else {
                throw StatesError(.noChoiceMatched, "No Matches!")
            }
            return try pass(fallback, assign: state["Assign"])
        case .wait:
            try await wait(state, input: effective, context: context)
            return try pass(state.next, assign: state["Assign"])
        case .task:
            let timeout = try seconds(state, "TimeoutSeconds", input: effective, context: context)
            let heartbeat = try seconds(state, "HeartbeatSeconds", input: effective, context: context)
            let result = try await withRetry(state) { [self] (attempt: Int) async throws(StatesError) -> JSONValue in
                let token = taskToken(for: state)
                let attemptContext =
                    attempt == 0 && token == nil
                    ? context : self.context(state: state.name, enteredMillis: enteredMillis, retryCount: attempt, mapItem: nil, taskToken: token)
                let parameters = try template(state["Parameters"], input: effective, context: attemptContext) ?? effective
                return try await task(state, parameters: parameters, lane: lane, timeout: timeout, heartbeat: heartbeat, token: token)
            }
            return try finish(result, selector: true, next: state.next)
        case .parallel:
            let parameters = try template(state["Parameters"], input: effective, context: context) ?? effective
            let result = try await withRetry(state) { [self] (_: Int) async throws(StatesError) -> JSONValue in
                try await branches(state, input: parameters, lane: lane)
            }
            return try finish(result, selector: true, next: state.next)
        case .map:
            let result = try await withRetry(state) { [self] (_: Int) async throws(StatesError) -> JSONValue in
                try await map(state, input: effective, context: context, lane: lane)
            }
            return try finish(result, selector: true, next: state.next)
        }
    }

    /// Runs a Parallel's branches concurrently (ExecutionTurn), each in a variable scope of its
    /// own; the first failure stops the others.
    func branches(_ state: StateDefinition, input: JSONValue, lane: HistoryLane) async throws(StatesError) -> JSONValue {
        lane.add("ParallelStateStarted")
        let definitions = state.branches
        var failure: StatesError?
        let results = await fanOut(definitions.count, limit: 0, waitsOnOutside: definitions.contains(where: \.waitsOnOutside)) { (_, result: Result<JSONValue, StatesError>) -> Bool in
            guard case .failure(let error) = result else { return false }
            failure = error
            return true
        } _: { branch, index in
            do throws(StatesError) {
                return .success(try await branch.execute(definitions[index], input: input, lane: lane.branch(), mapItem: nil))
            } catch {
                return .failure(error)
            }
        }
        if let failure {
            lane.add("ParallelStateFailed")
            throw failure
        }
        lane.add("ParallelStateSucceeded")
        return .array(results.map { (try? $0?.get()) ?? .null })
    }

    /// Runs a Task's resource. `token` is the attempt's task token when the resource waits for
    /// one (an activity, or a `.waitForTaskToken` integration).
    func task(
        _ state: StateDefinition, parameters: JSONValue, lane: HistoryLane, timeout: Int? = nil, heartbeat: Int? = nil, token: String? = nil
    ) async throws(StatesError) -> JSONValue {
        let resource = state["Resource"]?.stringValue ?? ""
        let timeout = timeout ?? state["TimeoutSeconds"]?.intValue
        if let token, Self.isActivity(resource) {
            return try await activityTask(resource: resource, input: parameters, token: token, lane: lane, timeout: timeout, heartbeat: heartbeat)
        }
        let resourceType = Self.resourceType(resource)
        var scheduled = JSONObject()
        scheduled["resourceType"] = .string(resourceType.type)
        scheduled["resource"] = .string(resourceType.name)
        scheduled["region"] = .string(info.region)
        scheduled["parameters"] = .string(parameters.jsonString)
        if let timeout { scheduled["timeoutInSeconds"] = JSONValue(timeout) }
        if let heartbeat { scheduled["heartbeatInSeconds"] = JSONValue(heartbeat) }
        lane.add("TaskScheduled", ("taskScheduledEventDetails", .object(scheduled)))
        lane.add("TaskStarted", ("taskStartedEventDetails", ["resourceType": .string(resourceType.type), "resource": .string(resourceType.name)]))
        let context = TaskContext(stateName: state.name, executionArn: info.arn, region: info.region, account: info.account, stateMachine: info.stateMachineName)
        func failed(_ error: StatesError) -> StatesError {
            var details = JSONObject()
            details["resourceType"] = .string(resourceType.type)
            details["resource"] = .string(resourceType.name)
            details["error"] = .string(error.error)
            if let cause = error.cause { details["cause"] = .string(cause) }
            lane.add("TaskFailed", ("taskFailedEventDetails", .object(details)))
            return error
        }
        func succeeded(_ output: JSONValue) -> JSONValue {
            lane.add("TaskSucceeded", ("taskSucceededEventDetails", [
                "resourceType": .string(resourceType.type), "resource": .string(resourceType.name), "output": .string(output.jsonString),
                "outputDetails": ["truncated": false],
            ]))
            return output
        }
        if let token, Self.waitsForToken(resource) {
            let answer: Answer
            do throws(StatesError) {
                answer = try await awaitAnswer(token: token, timeout: timeout, heartbeat: heartbeat, lane: lane) { () async throws(StatesError) in
                    let response = try await interpreter.tasks.invoke(
                        resource: String(resource.dropLast(".waitForTaskToken".count)), parameters: parameters, context: context)
                    lane.add("TaskSubmitted", ("taskSubmittedEventDetails", [
                        "resourceType": .string(resourceType.type), "resource": .string(resourceType.name), "output": .string(response.jsonString),
                        "outputDetails": ["truncated": false],
                    ]))
                } started: { _ in }
            } catch {
                if error.is(.aborted) { throw error }
                throw failed(error)
            }
            switch answer {
            case .succeeded(let output): return succeeded(output)
            case .failed(let error): throw failed(error)
            case .timedOut(let error):
                lane.add("TaskTimedOut", ("taskTimedOutEventDetails", [
                    "resourceType": .string(resourceType.type), "resource": .string(resourceType.name), "error": .string(error.error),
                ]))
                throw error
            }
        }
        do throws(StatesError) {
            let started = interpreter.clock.nowMillis()
            let tasks = interpreter.tasks
            let output = try await overlapping { () async throws(StatesError) -> JSONValue in
                try await tasks.invoke(resource: resource, parameters: parameters, context: context)
            }
            // Task TimeoutSeconds: a result that took longer (simulated latency) is a timeout.
            if let timeout, interpreter.clock.nowMillis() - started > Int64(timeout) * 1000 {
                lane.add("TaskTimedOut", ("taskTimedOutEventDetails", ["resourceType": .string(resourceType.type), "resource": .string(resourceType.name), "error": .string(StatesErrorName.timeout.rawValue)]))
                throw StatesError(.timeout, nil)
            }
            return succeeded(output)
        } catch {
            if error.is(.timeout) { throw error }
            throw failed(error)
        }
    }

    /// `arn:aws:states:::bedrock:invokeModel` → ("bedrock", "invokeModel").
    static func resourceType(_ resource: String) -> (type: String, name: String) {
        let parts = resource.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 7, parts[2] == "states" {
            return (String(parts[5]), parts[6...].joined(separator: ":"))
        }
        if parts.count >= 7, parts[2] == "lambda" { return ("lambda", "invoke") }
        return ("unknown", resource)
    }

    /// Runs `body`, retrying per the state's Retry rules with backoff through the clock.
    func withRetry(_ state: StateDefinition, _ body: (Int) async throws(StatesError) -> JSONValue) async throws(StatesError) -> JSONValue {
        var attempts: [Int: Int] = [:]
        var retries = 0
        while true {
            do throws(StatesError) {
                return try await body(retries)
            } catch {
                if interpreter.history.isFull { throw Self.historyExhausted }
                guard let (index, rule) = matchingRule(state["Retry"], error) else { throw error }
                let maxAttempts = rule["MaxAttempts"]?.intValue ?? 3
                let attempt = attempts[index, default: 0]
                guard attempt < maxAttempts else { throw error }
                attempts[index] = attempt + 1
                let interval = Double(rule["IntervalSeconds"]?.intValue ?? 1)
                let backoff = rule["BackoffRate"]?.doubleValue ?? 2.0
                var delay = interval * pow(backoff, Double(attempt))
                if let maxDelay = rule["MaxDelaySeconds"]?.doubleValue { delay = min(delay, maxDelay) }
                if rule["JitterStrategy"]?.stringValue == "FULL" { delay *= Double(nextRandom() % 1000) / 1000 }
                await pause(Int64(delay * 1000))
                retries += 1
            }
        }
    }
}

func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(exponent) { result *= base }
    return result
}
