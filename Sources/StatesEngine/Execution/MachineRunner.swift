import JSONCore

/// Runs a state machine, a Parallel branch or a Map iteration from StartAt until a state ends
/// it: each state's Entered and Exited events, the payload limit, the history quota, the
/// state machine's timeout, StopExecution, and Catch.
struct MachineRunner {
    let run: Run

    static let statesBetweenYields = 64

    /// AWS's cause for a state output over the payload limit.
    static func payloadExceeded(_ state: String) -> String {
        "The state/task '\(state)' returned a result with a size exceeding the maximum number of bytes service limit."
    }

    static let historyExhausted = StatesError(.runtime, "The execution reached the maximum number of history events (\(ExecutionHistory.standardMaximumEvents)).")

    /// The output of the state that ends the machine.
    func execute(
        _ machine: StateMachineDefinition, input: JSONValue, lane: HistoryLane, mapItem: (Int, JSONValue)?, startAt: String? = nil, topLevel: Bool = false
    ) async throws(StatesError) -> JSONValue {
        var name = startAt ?? machine.startAt
        var data = input
        var transitions = 0
        while true {
            guard let state = machine.states[name] else { throw StatesError.runtime("State '\(name)' does not exist") }
            if lane.history.isFull { throw Self.historyExhausted }
            try run.checkDeadline()
            // A machine that loops without waiting (a Choice back to itself) lets the other
            // executions and requests on the cooperative pool run between its states.
            transitions &+= 1
            if transitions % Self.statesBetweenYields == 0 { await Task.yield() }
            // StopExecution cancels the execution's task: stop at the next state.
            if Task.isCancelled { throw StatesError(.aborted, nil) }
            let entered = lane.add(.entered(state.type), ["name": .string(name), "input": .null, "inputDetails": ["truncated": false]], payload: ("input", data))
            // The entered event's time (the recorded one on a resumed execution).
            let enteredMillis = lane.lastMillis
            do throws(StatesError) {
                let stepped = try await step(state, input: data, lane: lane, enteredMillis: enteredMillis)
                let output = stepped.output
                if Task.isCancelled { throw StatesError(.aborted, nil) }
                if lane.history.isFull { throw Self.historyExhausted }
                if output.jsonBytes.count > Interpreter.maximumPayloadBytes {
                    throw StatesError(.dataLimitExceeded, Self.payloadExceeded(name))
                }
                if let exited = HistoryEventType.exited(state.type) { lane.add(exited, Self.exited(name, stepped.assigned), payload: ("output", output)) }
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
                    lane.add(.evaluationFailed, .object(details))
                    failure.location = nil
                }
                // Catch (Task, Parallel, Map); an execution timeout is not catchable.
                if !run.timedOut, let (index, catcher) = state.catchers.firstMatch(failure) {
                    let context = run.context(state: name, enteredMillis: enteredMillis, retryCount: nil, mapItem: nil)
                    let (output, assigned) = try await run.withScope { () async throws(StatesError) -> (JSONValue, JSONObject?) in
                        try ErrorHandler(run: run).caught(failure, by: catcher, index: index, state: state, input: data, context: context, nowMillis: enteredMillis)
                    }
                    if let exited = HistoryEventType.exited(state.type) { lane.add(exited, Self.exited(name, assigned), payload: ("output", output)) }
                    guard let next = catcher.next else { throw failure }
                    name = next
                    data = output
                    continue
                }
                if topLevel { run.resumePoint = Interpreter.ResumePoint(state: name, input: data) }
                throw failure
            }
        }
    }

    /// Runs just the first state of `machine` (TestState): its output and where it would go.
    func executeFirst(_ machine: StateMachineDefinition, input: JSONValue, lane: HistoryLane) async throws(StatesError) -> (JSONValue, String?) {
        guard let state = machine.states[machine.startAt] else { throw StatesError.runtime("State '\(machine.startAt)' does not exist") }
        lane.add(.entered(state.type))
        let stepped = try await step(state, input: input, lane: lane, enteredMillis: run.clock.nowMillis())
        return (stepped.output, stepped.next)
    }

    /// One state, in its query language, with the running scope.
    private func step(_ state: StateDefinition, input: JSONValue, lane: HistoryLane, enteredMillis: Int64) async throws(StatesError) -> StepResult {
        try await run.withScope { () async throws(StatesError) -> StepResult in
            if state.isJSONata { return try await JSONataStep(run: run, state: state, input: input, lane: lane, enteredMillis: enteredMillis).run() }
            return try await JSONPathStep(run: run, state: state, input: input, lane: lane, enteredMillis: enteredMillis).run()
        }
    }

    /// A `*StateExited` event's details, with the variables the state assigned; the output is
    /// the event's payload.
    static func exited(_ name: String, _ assigned: JSONObject?) -> JSONValue {
        var details: JSONObject = ["name": .string(name), "output": .null, "outputDetails": ["truncated": false]]
        if let assigned {
            var texts = JSONObject()
            for member in assigned.storage { texts[member.key] = .string(member.value.jsonString) }
            details["assignedVariables"] = .object(texts)
            details["assignedVariablesDetails"] = ["truncated": false]
        }
        return .object(details)
    }
}
