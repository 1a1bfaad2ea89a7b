import JSONCore

/// One state in the JSONPath query language: InputPath, Parameters, the state's work,
/// ResultSelector, Assign, ResultPath and OutputPath, in that order.
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
struct JSONPathStep {
    let run: Run
    let state: StateDefinition
    let input: JSONValue
    let lane: HistoryLane
    let enteredMillis: Int64

    func run() async throws(StatesError) -> StepResult {
        let context = run.context(state: state.name, enteredMillis: enteredMillis, retryCount: state.type == .task ? 0 : nil, mapItem: nil)
        let effective = try state.inputPath.select(input, context: context)
        let recovery = ErrorHandler(run: run)
        switch state.kind {
        case .pass(let pass):
            let parameters = try run.payload(pass.parameters, input: effective, context: context) ?? effective
            return try finish(pass.result ?? parameters, selector: nil, placement: pass.resultPath, context: context)
        case .succeed:
            return StepResult(output: try state.outputPath.select(effective, context: context), next: nil)
        case .fail(let fail):
            func field(_ field: FailState.Field?, _ name: String) throws(StatesError) -> String? {
                switch field {
                case .text(let text)?: return text
                case .path(let path)?:
                    // ErrorPath and CausePath must select a string: anything else fails the
                    // state (States.Runtime) rather than naming an empty error. An intrinsic
                    // (`States.UUID()`) draws from the execution's random stream, as payloads do.
                    let value = try PayloadTemplate(input: effective, context: context, random: { [run] in run.nextRandom() }).value(of: path, field: name)
                    guard let text = value.stringValue else { throw Self.notAString(path, field: name, value) }
                    return text
                case .template?, nil: return nil
                }
            }
            throw StatesError(try field(fail.error, "ErrorPath") ?? "", try field(fail.cause, "CausePath"))
        case .choice(let choice):
            let evaluator = ChoiceEvaluator(input: effective, context: context)
            for rule in choice.rules where try evaluator.matches(rule.condition) {
                return try pass(effective, next: rule.next, assign: rule.assign, context: context)
            }
            guard let fallback = choice.defaultNext else { throw StatesError(.noChoiceMatched, "No Matches!") }
            return try pass(effective, next: fallback, assign: state.assign, context: context)
        case .wait(let wait):
            try await WaitRunner(run: run, wait: wait, lane: lane).run(input: effective, context: context)
            return try pass(effective, next: state.next, assign: state.assign, context: context)
        case .task(let task):
            let runner = TaskRunner(run: run, state: state, task: task, lane: lane)
            let timeout = try runner.seconds(task.timeout, "TimeoutSeconds", input: effective, context: context)
            let heartbeat = try runner.seconds(task.heartbeat, "HeartbeatSeconds", input: effective, context: context)
            let result = try await recovery.retrying(task.retry, lane: lane) { [run, state, enteredMillis] (attempt: Int) async throws(StatesError) -> JSONValue in
                let token = runner.issueToken()
                let attemptContext =
                    attempt == 0 && token == nil
                    ? context : run.context(state: state.name, enteredMillis: enteredMillis, retryCount: attempt, mapItem: nil, taskToken: token)
                let parameters = try run.payload(task.parameters, input: effective, context: attemptContext) ?? effective
                return try await runner.invoke(parameters: parameters, timeout: timeout, heartbeat: heartbeat, token: token, attempt: attempt + 1)
            }
            return try finish(result, selector: task.resultSelector, placement: task.resultPath, context: context)
        case .parallel(let parallel):
            let parameters = try run.payload(parallel.parameters, input: effective, context: context) ?? effective
            let result = try await recovery.retrying(parallel.retry, lane: lane) { [run, lane] (_: Int) async throws(StatesError) -> JSONValue in
                try await ParallelRunner(run: run, branches: parallel.branches, lane: lane).run(input: parameters)
            }
            return try finish(result, selector: parallel.resultSelector, placement: parallel.resultPath, context: context)
        case .map(let map):
            let reader = MapFieldReader(run: run, state: state, language: .jsonPath(input: effective, context: context))
            let result = try await recovery.retrying(map.retry, lane: lane) { [run, state, lane] (_: Int) async throws(StatesError) -> JSONValue in
                try await MapRunner(run: run, state: state, map: map, lane: lane).run(input: effective, reader: reader)
            }
            return try finish(result, selector: map.resultSelector, placement: map.resultPath, context: context)
        }
    }

    /// A Fail state's ErrorPath or CausePath that selected something other than a string, in
    /// the words AWS uses for a JSONata field of the wrong type.
    static func notAString(_ path: String, field: String, _ value: JSONValue) -> StatesError {
        let kind = IntrinsicExpression.looksLikeCall(path) ? "intrinsic function" : "JSONPath"
        return StatesError.runtime(
            "The \(kind) '\(path)' specified for the field '\(field)' returned an unexpected result type. Expected 'string', but was '\(value.typeName)' for value: \(value.jsonString)")
    }

    /// Output and variables once the state has a result: ResultSelector, Assign (from the
    /// selected result), ResultPath, OutputPath.
    private func finish(_ result: JSONValue, selector: JSONValue?, placement: ResultPath, context: JSONValue) throws(StatesError) -> StepResult {
        var result = result
        if let selected = try run.payload(selector, input: result, context: context) { result = selected }
        let assigned = try run.assignments(state.assign, source: result, context: context)
        let placed = try placement.place(result, in: input)
        let output = try state.outputPath.select(placed, context: context)
        if let assigned { try run.scope.assign(assigned) }
        return StepResult(output: output, next: state.next, assigned: assigned)
    }

    /// States without a result: Assign reads the (InputPath-selected) input.
    private func pass(_ effective: JSONValue, next: String?, assign: JSONValue?, context: JSONValue) throws(StatesError) -> StepResult {
        let assigned = try run.assignments(assign, source: effective, context: context)
        let output = try state.outputPath.select(effective, context: context)
        if let assigned { try run.scope.assign(assigned) }
        return StepResult(output: output, next: next, assigned: assigned)
    }
}
