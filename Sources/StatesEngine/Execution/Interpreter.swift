import Determinism
import JSONCore

/// Runs a state machine (JSONPath query language): every state type, InputPath / Parameters /
/// ResultSelector / ResultPath / OutputPath, the `$$` context object, Retry and Catch, and
/// history events as AWS emits them. Map iterations and Parallel branches run in order.
public struct Interpreter: Sendable {
    public let info: ExecutionInfo
    public let clock: any ExecutionClock
    public let tasks: any TaskInvoker
    public let history: ExecutionHistory
    public let seed: UInt64

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
            var started = JSONObject()
            started["input"] = .string(input.jsonString)
            started["inputDetails"] = ["truncated": false]
            started["roleArn"] = .string(info.roleArn)
            lane.add("ExecutionStarted", ("executionStartedEventDetails", .object(started)))
        } else {
            lane.add("ExecutionRedriven", ("executionRedrivenEventDetails", ["redriveCount": JSONValue(redriveCount)]))
        }
        let run = Run(interpreter: self, rawInput: input)
        if let timeout = machine.timeoutSeconds { run.deadline = clock.nowMillis() + Int64(timeout) * 1000 }
        do throws(StatesError) {
            let output = try await run.execute(machine, input: resume?.input ?? input, lane: lane, mapItem: nil, startAt: resume?.state, topLevel: true)
            lane.add("ExecutionSucceeded", ("executionSucceededEventDetails", ["output": .string(output.jsonString), "outputDetails": ["truncated": false]]))
            return (.succeeded(output), nil)
        } catch {
            // Stopped: StopExecution has recorded ExecutionAborted already.
            if Task.isCancelled { return (.failed(error), nil) }
            var details = JSONObject()
            details["error"] = .string(error.error)
            if let cause = error.cause { details["cause"] = .string(cause) }
            if run.timedOut {
                lane.add("ExecutionTimedOut", ("executionTimedOutEventDetails", .object(details)))
                return (.timedOut(error), run.resumePoint)
            }
            lane.add("ExecutionFailed", ("executionFailedEventDetails", .object(details)))
            return (.failed(error), run.resumePoint)
        }
    }
}

/// One execution's working state.
final class Run: @unchecked Sendable {
    let interpreter: Interpreter
    let rawInput: JSONValue
    var random: SeededRandom
    /// The state machine's TimeoutSeconds, as a time on the execution clock.
    var deadline: Int64?
    var timedOut = false
    /// The top-level state that failed, for RedriveExecution.
    var resumePoint: Interpreter.ResumePoint?

    func checkDeadline() throws(StatesError) {
        guard let deadline, interpreter.clock.nowMillis() >= deadline else { return }
        timedOut = true
        throw StatesError("States.Timeout", nil)
    }

    init(interpreter: Interpreter, rawInput: JSONValue) {
        self.interpreter = interpreter
        self.rawInput = rawInput
        random = SeededRandom(seed: interpreter.seed, label: "execution:" + interpreter.info.arn)
    }

    var info: ExecutionInfo { interpreter.info }

    /// The `$$` object. `State.RetryCount` exists only for states that can retry (Task);
    /// express executions have no `RedriveCount`.
    func context(state: String, enteredMillis: Int64, retryCount: Int?, mapItem: (Int, JSONValue)?) -> JSONValue {
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
        return .object(o)
    }

    func nextRandom() -> UInt64 { random.next() }

    /// Runs states from StartAt until one ends the machine.
    func execute(
        _ machine: StateMachineDefinition, input: JSONValue, lane: HistoryLane, mapItem: (Int, JSONValue)?, startAt: String? = nil, topLevel: Bool = false
    ) async throws(StatesError) -> JSONValue {
        var name = startAt ?? machine.startAt
        var data = input
        while true {
            guard let state = machine.states[name] else { throw StatesError.runtime("State '\(name)' does not exist") }
            try checkDeadline()
            // StopExecution cancels the execution's task: stop at the next state.
            if Task.isCancelled { throw StatesError("States.Aborted", nil) }
            let entered = lane.add("\(state.kind.rawValue)StateEntered", ("stateEnteredEventDetails", ["name": .string(name), "input": .string(data.jsonString), "inputDetails": ["truncated": false]]))
            let enteredMillis = interpreter.clock.nowMillis()
            do throws(StatesError) {
                let (output, next) = try await step(state, input: data, lane: lane, entered: entered, enteredMillis: enteredMillis, mapItem: mapItem)
                if Task.isCancelled { throw StatesError("States.Aborted", nil) }
                if output.jsonBytes.count > Interpreter.maximumPayloadBytes {
                    throw StatesError("States.DataLimitExceeded", "The state/task '\(name)' returned a result with a size exceeding the maximum number of bytes service limit.")
                }
                if state.kind != .fail {
                    lane.add("\(state.kind.rawValue)StateExited", ("stateExitedEventDetails", ["name": .string(name), "output": .string(output.jsonString), "outputDetails": ["truncated": false]]))
                }
                guard let next else { return output }
                name = next
                data = output
            } catch {
                var failure = error
                if failure.error == "States.Runtime", let cause = failure.cause, !cause.hasPrefix("An error occurred while executing the state") {
                    failure.cause = "An error occurred while executing the state '\(name)' (entered at the event id #\(entered)). \(cause)"
                }
                // Catch (Task, Parallel, Map); an execution timeout is not catchable.
                if !timedOut, [.task, .parallel, .map].contains(state.kind), let catcher = matchingRule(state["Catch"], failure) {
                    var errorOutput = JSONObject()
                    errorOutput["Error"] = .string(failure.error)
                    errorOutput["Cause"] = .string(failure.cause ?? "")
                    let output = try PathFields.apply(catcher["ResultPath"], input: data, result: .object(errorOutput))
                    lane.add("\(state.kind.rawValue)StateExited", ("stateExitedEventDetails", ["name": .string(name), "output": .string(output.jsonString), "outputDetails": ["truncated": false]]))
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

    /// Runs just the first state of `machine` (TestState): its output and where it would go.
    func execute(_ machine: StateMachineDefinition, input: JSONValue, lane: HistoryLane, mapItem: (Int, JSONValue)?, stopAfterFirst: Bool) async throws(StatesError) -> (JSONValue, String?) {
        guard let state = machine.states[machine.startAt] else { throw StatesError.runtime("State '\(machine.startAt)' does not exist") }
        let entered = lane.add("\(state.kind.rawValue)StateEntered")
        return try await step(state, input: input, lane: lane, entered: entered, enteredMillis: interpreter.clock.nowMillis(), mapItem: mapItem)
    }

    /// The first Retry/Catch rule whose ErrorEquals names the error. `States.ALL` matches
    /// everything but the terminal `States.Runtime` and `States.DataLimitExceeded`;
    /// `States.TaskFailed` matches any task failure except `States.Timeout`.
    func matchingRule(_ rules: JSONValue?, _ failure: StatesError) -> JSONValue? {
        let terminal = failure.error == "States.Runtime" || failure.error == "States.DataLimitExceeded"
        for rule in rules?.arrayValue ?? [] {
            let names = (rule["ErrorEquals"]?.arrayValue ?? []).compactMap(\.stringValue)
            if names.contains(failure.error) { return rule }
            if terminal { continue }
            if names.contains("States.ALL") { return rule }
            if names.contains("States.TaskFailed"), failure.error != "States.Timeout" { return rule }
        }
        return nil
    }

    func template(_ raw: JSONValue?, input: JSONValue, context: JSONValue) throws(StatesError) -> JSONValue? {
        guard let raw else { return nil }
        return try PayloadTemplate(input: input, context: context, random: { [self] in nextRandom() }).evaluate(raw)
    }

    func step(
        _ state: StateDefinition, input: JSONValue, lane: HistoryLane, entered: Int, enteredMillis: Int64, mapItem: (Int, JSONValue)?
    ) async throws(StatesError) -> (JSONValue, String?) {
        let context = self.context(state: state.name, enteredMillis: enteredMillis, retryCount: state.kind == .task ? 0 : nil, mapItem: nil)
        let effective = try PathFields.select("InputPath", state["InputPath"], input: input, context: context)
        func finish(_ result: JSONValue, selector: Bool) throws(StatesError) -> JSONValue {
            var result = result
            if selector, let selected = try template(state["ResultSelector"], input: result, context: context) { result = selected }
            let placed = try PathFields.apply(state["ResultPath"], input: input, result: result)
            return try PathFields.select("OutputPath", state["OutputPath"], input: placed, context: context)
        }
        switch state.kind {
        case .pass:
            let parameters = try template(state["Parameters"], input: effective, context: context) ?? effective
            return (try finish(state["Result"] ?? parameters, selector: false), state.next)
        case .succeed:
            return (try PathFields.select("OutputPath", state["OutputPath"], input: effective, context: context), nil)
        case .fail:
            var error = state["Error"]?.stringValue
            var cause = state["Cause"]?.stringValue
            if let p = state["ErrorPath"]?.stringValue { error = try PayloadTemplate(input: effective, context: context, random: { 0 }).value(of: p, field: "ErrorPath").stringValue }
            if let p = state["CausePath"]?.stringValue { cause = try PayloadTemplate(input: effective, context: context, random: { 0 }).value(of: p, field: "CausePath").stringValue }
            var details = JSONObject()
            if let error { details["error"] = .string(error) }
            if let cause { details["cause"] = .string(cause) }
            throw StatesError(error ?? "", cause)
        case .choice:
            let evaluator = ChoiceEvaluator(input: effective, context: context)
            for rule in state["Choices"]?.arrayValue ?? [] where try evaluator.matches(rule) {
                return (try PathFields.select("OutputPath", state["OutputPath"], input: effective, context: context), rule["Next"]?.stringValue)
            }
            guard let fallback = state["Default"]?.stringValue else {
                throw StatesError("States.NoChoiceMatched", "No Matches!")
            }
            return (try PathFields.select("OutputPath", state["OutputPath"], input: effective, context: context), fallback)
        case .wait:
            try await wait(state, input: effective, context: context)
            return (try PathFields.select("OutputPath", state["OutputPath"], input: effective, context: context), state.next)
        case .task:
            let timeout = try seconds(state, "TimeoutSeconds", input: effective, context: context)
            let heartbeat = try seconds(state, "HeartbeatSeconds", input: effective, context: context)
            let result = try await withRetry(state) { [self] (attempt: Int) async throws(StatesError) -> JSONValue in
                let attemptContext = attempt == 0 ? context : self.context(state: state.name, enteredMillis: enteredMillis, retryCount: attempt, mapItem: nil)
                let parameters = try template(state["Parameters"], input: effective, context: attemptContext) ?? effective
                return try await task(state, parameters: parameters, lane: lane, timeout: timeout, heartbeat: heartbeat)
            }
            return (try finish(result, selector: true), state.next)
        case .parallel:
            let parameters = try template(state["Parameters"], input: effective, context: context) ?? effective
            let result = try await withRetry(state) { [self] (_: Int) async throws(StatesError) -> JSONValue in
                lane.add("ParallelStateStarted")
                var outputs: [JSONValue] = []
                do throws(StatesError) {
                    for branch in state.branches {
                        outputs.append(try await execute(branch, input: parameters, lane: lane.branch(), mapItem: nil))
                    }
                } catch {
                    lane.add("ParallelStateFailed")
                    throw error
                }
                lane.add("ParallelStateSucceeded")
                return .array(outputs)
            }
            return (try finish(result, selector: true), state.next)
        case .map:
            let result = try await withRetry(state) { [self] (_: Int) async throws(StatesError) -> JSONValue in
                try await map(state, input: effective, context: context, lane: lane)
            }
            return (try finish(result, selector: true), state.next)
        }
    }

    func wait(_ state: StateDefinition, input: JSONValue, context: JSONValue) async throws(StatesError) {
        var millis: Int64 = 0
        if let seconds = state["Seconds"]?.intValue {
            millis = Int64(seconds) * 1000
        } else if let text = state["SecondsPath"]?.stringValue {
            let path: JSONPath
            do { path = try JSONPath(text) } catch { throw StatesError.runtime("Invalid SecondsPath '\(text)'") }
            guard let value = path.evaluate(input: input, context: context) else {
                throw StatesError.runtime("The SecondsPath parameter does not reference an input value: \(text)")
            }
            guard let seconds = value.intValue, value.numberValue?.isInteger ?? false else {
                throw StatesError.runtime("The SecondsPath parameter does not reference a valid integer value: \(text) == \(value.jsonString)")
            }
            guard seconds >= 0 else { throw StatesError.runtime("The SecondsPath parameter references a negative value: \(text) == \(seconds)") }
            millis = Int64(seconds) * 1000
        } else if let timestamp = state["Timestamp"]?.stringValue {
            guard let at = StatesTimestamp.parse(timestamp) else { throw StatesError.runtime("The Timestamp parameter is not a valid ISO-8601 extended offset date-time format string: \(timestamp)") }
            millis = at - interpreter.clock.nowMillis()
        } else if let text = state["TimestampPath"]?.stringValue {
            let path: JSONPath
            do { path = try JSONPath(text) } catch { throw StatesError.runtime("Invalid TimestampPath '\(text)'") }
            guard let value = path.evaluate(input: input, context: context) else {
                throw StatesError.runtime("The TimestampPath parameter does not reference an input value: \(text)")
            }
            guard let string = value.stringValue, let at = StatesTimestamp.parse(string) else {
                let shown = value.stringValue ?? value.jsonString
                throw StatesError.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: \(text) == \(shown)")
            }
            millis = at - interpreter.clock.nowMillis()
        }
        if let deadline, interpreter.clock.nowMillis() + millis > deadline {
            await interpreter.clock.sleep(milliseconds: max(0, deadline - interpreter.clock.nowMillis()))
            try checkDeadline()
        }
        if millis > 0 { await interpreter.clock.sleep(milliseconds: millis) }
    }

    /// `TimeoutSeconds`/`HeartbeatSeconds` or their `…Path` forms (a positive integer).
    func seconds(_ state: StateDefinition, _ field: String, input: JSONValue, context: JSONValue) throws(StatesError) -> Int? {
        if let value = state[field]?.intValue { return value }
        guard let text = state[field + "Path"]?.stringValue else { return nil }
        let path: JSONPath
        do { path = try JSONPath(text) } catch { throw StatesError.runtime("Invalid \(field)Path '\(text)'") }
        guard let value = path.evaluate(input: input, context: context) else {
            throw StatesError.runtime("The \(field)Path parameter does not reference an input value: \(text)")
        }
        guard let seconds = value.intValue, seconds > 0, value.numberValue?.isInteger ?? false else {
            throw StatesError.runtime("The \(field)Path parameter does not reference a valid positive integer value: \(text) == \(value.jsonString)")
        }
        return seconds
    }

    func task(_ state: StateDefinition, parameters: JSONValue, lane: HistoryLane, timeout: Int? = nil, heartbeat: Int? = nil) async throws(StatesError) -> JSONValue {
        let resource = state["Resource"]?.stringValue ?? ""
        let resourceType = Self.resourceType(resource)
        var scheduled = JSONObject()
        scheduled["resourceType"] = .string(resourceType.type)
        scheduled["resource"] = .string(resourceType.name)
        scheduled["region"] = .string(info.region)
        scheduled["parameters"] = .string(parameters.jsonString)
        if let timeout = timeout ?? state["TimeoutSeconds"]?.intValue { scheduled["timeoutInSeconds"] = JSONValue(timeout) }
        if let heartbeat { scheduled["heartbeatInSeconds"] = JSONValue(heartbeat) }
        lane.add("TaskScheduled", ("taskScheduledEventDetails", .object(scheduled)))
        lane.add("TaskStarted", ("taskStartedEventDetails", ["resourceType": .string(resourceType.type), "resource": .string(resourceType.name)]))
        do throws(StatesError) {
            let started = interpreter.clock.nowMillis()
            let output = try await interpreter.tasks.invoke(
                resource: resource, parameters: parameters,
                context: TaskContext(stateName: state.name, executionArn: info.arn, region: info.region, account: info.account, stateMachine: info.stateMachineName))
            // Task TimeoutSeconds: a result that took longer (simulated latency) is a timeout.
            if let timeout = timeout ?? state["TimeoutSeconds"]?.intValue, interpreter.clock.nowMillis() - started > Int64(timeout) * 1000 {
                lane.add("TaskTimedOut", ("taskTimedOutEventDetails", ["resourceType": .string(resourceType.type), "resource": .string(resourceType.name), "error": "States.Timeout"]))
                throw StatesError("States.Timeout", nil)
            }
            lane.add("TaskSucceeded", ("taskSucceededEventDetails", [
                "resourceType": .string(resourceType.type), "resource": .string(resourceType.name), "output": .string(output.jsonString),
                "outputDetails": ["truncated": false],
            ]))
            return output
        } catch {
            if error.error == "States.Timeout" { throw error }
            var details = JSONObject()
            details["resourceType"] = .string(resourceType.type)
            details["resource"] = .string(resourceType.name)
            details["error"] = .string(error.error)
            if let cause = error.cause { details["cause"] = .string(cause) }
            lane.add("TaskFailed", ("taskFailedEventDetails", .object(details)))
            throw error
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
                guard let rules = state["Retry"]?.arrayValue, let rule = matchingRule(.array(rules), error),
                    let index = rules.firstIndex(where: { $0 == rule })
                else { throw error }
                let maxAttempts = rule["MaxAttempts"]?.intValue ?? 3
                let attempt = attempts[index, default: 0]
                guard attempt < maxAttempts else { throw error }
                attempts[index] = attempt + 1
                let interval = Double(rule["IntervalSeconds"]?.intValue ?? 1)
                let backoff = rule["BackoffRate"]?.doubleValue ?? 2.0
                var delay = interval * pow(backoff, Double(attempt))
                if let maxDelay = rule["MaxDelaySeconds"]?.doubleValue { delay = min(delay, maxDelay) }
                if rule["JitterStrategy"]?.stringValue == "FULL" { delay *= Double(nextRandom() % 1000) / 1000 }
                await interpreter.clock.sleep(milliseconds: Int64(delay * 1000))
                retries += 1
            }
        }
    }

    func map(_ state: StateDefinition, input: JSONValue, context: JSONValue, lane: HistoryLane) async throws(StatesError) -> JSONValue {
        guard let processor = state.itemProcessor else { throw StatesError.runtime("A Map state needs an ItemProcessor") }
        if Self.isDistributed(state) { return try await distributedMap(state, processor: processor, input: input, context: context, lane: lane) }
        let itemsValue = try PathFields.select("ItemsPath", state["ItemsPath"], input: input, context: context)
        guard case .array(let items) = itemsValue else {
            throw StatesError.runtime("Item path \(state["ItemsPath"]?.stringValue ?? "$") evaluated to \(itemsValue.typeName.uppercased()), but must be a JSON array.")
        }
        let toleratedCount = try toleratedFailures(state, input: input, context: context, count: items.count)
        lane.add("MapStateStarted", ("mapStateStartedEventDetails", ["length": JSONValue(items.count)]))
        var results: [JSONValue] = []
        var failures = 0
        for (index, item) in items.enumerated() {
            let itemContext = self.context(state: state.name, enteredMillis: interpreter.clock.nowMillis(), retryCount: 0, mapItem: (index, item))
            let selector = state["ItemSelector"] ?? state["Parameters"]
            let itemInput = try template(selector, input: input, context: itemContext) ?? item
            let iteration: JSONValue = ["name": .string(state.name), "index": JSONValue(index)]
            lane.add("MapIterationStarted", ("mapIterationStartedEventDetails", iteration))
            do throws(StatesError) {
                results.append(try await execute(processor, input: itemInput, lane: lane.branch(), mapItem: (index, item)))
                lane.add("MapIterationSucceeded", ("mapIterationSucceededEventDetails", iteration))
            } catch {
                lane.add("MapIterationFailed", ("mapIterationFailedEventDetails", iteration))
                failures += 1
                if let tolerated = toleratedCount, failures <= tolerated {
                    var failed = JSONObject()
                    failed["Error"] = .string(error.error)
                    failed["Cause"] = .string(error.cause ?? "")
                    results.append(.object(failed))
                    continue
                }
                lane.add("MapStateFailed")
                if toleratedCount != nil {
                    throw StatesError("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded")
                }
                throw error
            }
        }
        lane.add("MapStateSucceeded")
        return .array(results)
    }

    /// Distributed-mode tolerance: the larger of ToleratedFailureCount and the percentage.
    func toleratedFailures(_ state: StateDefinition, input: JSONValue, context: JSONValue, count: Int) throws(StatesError) -> Int? {
        var tolerated: Int? = nil
        if let raw = PathFields.valueOrPath("ToleratedFailureCount", in: .object(state.raw), input: input, context: context) {
            guard let n = raw.intValue else {
                throw StatesError.runtime("The ToleratedFailureCountPath field refers to value \(raw.jsonString) which is not a valid integer: \(state["ToleratedFailureCountPath"]?.stringValue ?? "")")
            }
            guard n >= 0 else { throw StatesError.runtime("ToleratedFailureCount cannot be negative.") }
            tolerated = n
        }
        if let raw = PathFields.valueOrPath("ToleratedFailurePercentage", in: .object(state.raw), input: input, context: context) {
            guard let p = raw.doubleValue else {
                throw StatesError.runtime("The ToleratedFailurePercentagePath field refers to value \(raw.jsonString) which is not a valid float: \(state["ToleratedFailurePercentagePath"]?.stringValue ?? "")")
            }
            guard (0...100).contains(p) else { throw StatesError.runtime("ToleratedFailurePercentage must be between 0 and 100.") }
            tolerated = max(tolerated ?? 0, Int((p / 100 * Double(count)).rounded(.down)))
        }
        return tolerated
    }
}

func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(exponent) { result *= base }
    return result
}
