import JSONCore

/// One state written in JSONata: `Arguments` in, `Output` and `Assign` out, with `$states`
/// giving the input, context, result and error output.
/// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
struct JSONataStep {
    let run: Run
    let state: StateDefinition
    let input: JSONValue
    let lane: HistoryLane
    let enteredMillis: Int64

    func run() async throws(StatesError) -> StepResult {
        let context = run.context(state: state.name, enteredMillis: enteredMillis, retryCount: state.type == .task ? 0 : nil, mapItem: nil)
        var fields = run.jsonata(state, input: input, context: context, nowMillis: enteredMillis)
        let recovery = ErrorHandler(run: run)

        /// Output (the result, or the input for states without one, by default) and Assign,
        /// both evaluated before any variable changes; then the variables change.
        func conclude(_ result: JSONValue?, next: String?, rule: ChoiceRule? = nil, prefix: String = "") throws(StatesError) -> StepResult {
            if let result { fields.set("result", result) }
            var output = result ?? input
            // A matched Choice rule's own Output and Assign, else the state's.
            let (outputTemplate, assignTemplate) = rule.map { ($0.output, $0.assign) } ?? (state.output, state.assign)
            if let template = outputTemplate { output = try fields.evaluate(template, field: prefix + "Output") }
            var assigned: JSONObject? = nil
            if let template = assignTemplate { assigned = try fields.assignments(template, field: prefix + "Assign") }
            if let assigned { try run.scope.assign(assigned) }
            return StepResult(output: output, next: next, assigned: assigned)
        }

        switch state.kind {
        case .pass:
            return try conclude(nil, next: state.next)
        case .succeed:
            let output = try state.output.map { (t: JSONValue) throws(StatesError) -> JSONValue in try fields.evaluate(t, field: "Output") } ?? input
            return StepResult(output: output, next: nil)
        case .fail(let fail):
            func text(_ field: FailState.Field?, _ name: String) throws(StatesError) -> String? {
                guard case .template(let template)? = field else { return nil }
                return try fields.typed(template, field: name, expected: "string") { $0.stringValue != nil }.stringValue
            }
            throw StatesError(try text(fail.error, "Error") ?? "", try text(fail.cause, "Cause"))
        case .choice(let choice):
            for (i, rule) in choice.rules.enumerated() {
                guard case .jsonata(let condition) = rule.condition else { continue }
                let value = try fields.typed(condition, field: "Choices[\(i)]/Condition", expected: "boolean") { $0.boolValue != nil }
                if value.boolValue == true { return try conclude(nil, next: rule.next, rule: rule, prefix: "Choices[\(i)]/") }
            }
            guard let fallback = choice.defaultNext else { throw StatesError(.noChoiceMatched, "No Matches!") }
            return try conclude(nil, next: fallback)
        case .wait(let wait):
            try await WaitRunner(run: run, wait: wait, lane: lane).run(fields)
            return try conclude(nil, next: state.next)
        case .task(let task):
            let runner = TaskRunner(run: run, state: state, task: task, lane: lane)
            let timeout = try runner.seconds(task.timeout, "TimeoutSeconds", fields)
            let heartbeat = try runner.seconds(task.heartbeat, "HeartbeatSeconds", fields)
            let base = fields
            let result = try await recovery.retrying(task.retry, lane: lane) { [run, state, enteredMillis, input] (attempt: Int) async throws(StatesError) -> JSONValue in
                var attemptFields = base
                let token = runner.issueToken()
                if attempt > 0 || token != nil {
                    attemptFields.set("context", run.context(state: state.name, enteredMillis: enteredMillis, retryCount: attempt, mapItem: nil, taskToken: token))
                }
                let arguments = try task.parameters.map { (t: JSONValue) throws(StatesError) -> JSONValue in try attemptFields.evaluate(t, field: "Arguments") } ?? input
                return try await runner.invoke(parameters: arguments, timeout: timeout, heartbeat: heartbeat, token: token, attempt: attempt + 1)
            }
            return try conclude(result, next: state.next)
        case .parallel(let parallel):
            let arguments = try parallel.parameters.map { (t: JSONValue) throws(StatesError) -> JSONValue in try fields.evaluate(t, field: "Arguments") } ?? input
            let result = try await recovery.retrying(parallel.retry, lane: lane) { [run, lane] (_: Int) async throws(StatesError) -> JSONValue in
                try await ParallelRunner(run: run, branches: parallel.branches, lane: lane).run(input: arguments)
            }
            return try conclude(result, next: state.next)
        case .map(let map):
            let reader = MapFieldReader(run: run, state: state, language: .jsonata(fields))
            let result = try await recovery.retrying(map.retry, lane: lane) { [run, state, lane, input] (_: Int) async throws(StatesError) -> JSONValue in
                try await MapRunner(run: run, state: state, map: map, lane: lane).run(input: input, reader: reader)
            }
            return try conclude(result, next: state.next)
        }
    }
}
