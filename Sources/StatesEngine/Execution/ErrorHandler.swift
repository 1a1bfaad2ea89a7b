import JSONCore

/// Retry and Catch for Task, Parallel and Map states: retries with backoff on the execution
/// clock while a retrier has attempts left, and what a state that caught an error hands on.
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
struct ErrorHandler {
    let run: Run

    /// Runs `body` (given the retry number, 0 first), retrying per the first policy that
    /// handles each error until its MaxAttempts are spent.
    func retrying(_ policies: [RetryPolicy], lane: HistoryLane, _ body: (Int) async throws(StatesError) -> JSONValue) async throws(StatesError) -> JSONValue {
        var attempts: [Int: Int] = [:]
        var retries = 0
        while true {
            do throws(StatesError) {
                return try await body(retries)
            } catch {
                if run.interpreter.history.isFull { throw MachineRunner.historyExhausted }
                guard let (index, policy) = policies.firstMatch(error) else { throw error }
                let attempt = attempts[index, default: 0]
                guard attempt < policy.maxAttempts else { throw error }
                attempts[index] = attempt + 1
                // The backoff is cut short by the machine's deadline (an Express execution's
                // five minutes included), so millions of attempts end in States.Timeout rather
                // than spinning on a clock that can no longer move.
                try await run.sleep(lane.remaining(policy.delayMillis(attempt: attempt) { run.nextRandom() }))
                try run.checkDeadline()
                if Task.isCancelled { throw StatesError(.aborted, nil) }
                retries += 1
                if retries % MachineRunner.statesBetweenYields == 0 { await Task.yield() }
            }
        }
    }

    /// What a state that caught `failure` hands on: JSONPath places the error output at the
    /// catcher's ResultPath, JSONata gives the catcher's Output (the error output by default).
    /// Either may assign variables from `$states.errorOutput` (JSONPath: `$`).
    func caught(
        _ failure: StatesError, by catcher: CatchRule, index: Int, state: StateDefinition, input: JSONValue, context: JSONValue, nowMillis: Int64
    ) throws(StatesError) -> (JSONValue, JSONObject?) {
        let errorOutput: JSONValue = ["Error": .string(failure.error), "Cause": .string(failure.cause ?? "")]
        var assigned: JSONObject? = nil
        let output: JSONValue
        if state.isJSONata {
            var fields = run.jsonata(state, input: input, context: context, nowMillis: nowMillis)
            fields.set("errorOutput", errorOutput)
            output = try catcher.output.map { (t: JSONValue) throws(StatesError) -> JSONValue in try fields.evaluate(t, field: "Catch[\(index)]/Output") } ?? errorOutput
            if let assign = catcher.assign { assigned = try fields.assignments(assign, field: "Catch[\(index)]/Assign") }
        } else {
            assigned = try run.assignments(catcher.assign, source: errorOutput, context: context)
            output = try catcher.resultPath.place(errorOutput, in: input)
        }
        if let assigned { try run.scope.assign(assigned) }
        return (output, assigned)
    }
}
