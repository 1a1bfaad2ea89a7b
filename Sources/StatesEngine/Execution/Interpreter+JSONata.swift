import JSONCore

/// States written in JSONata: `Arguments` in, `Output` and `Assign` out, with `$states`
/// giving the input, context, result and error output.
extension Run {
    func jsonata(_ state: StateDefinition, input: JSONValue, context: JSONValue) -> JSONataTemplate {
        JSONataTemplate(state: state, input: input, context: context, variables: scope, nowMillis: interpreter.clock.nowMillis(), random: { [self] in nextRandom() })
    }

    func stepJSONata(_ state: StateDefinition, input: JSONValue, lane: HistoryLane, enteredMillis: Int64) async throws(StatesError) -> StepResult {
        let context = self.context(state: state.name, enteredMillis: enteredMillis, retryCount: state.kind == .task ? 0 : nil, mapItem: nil)
        var fields = jsonata(state, input: input, context: context)

        /// Output (the result, or the input for states without one, by default) and Assign,
        /// both evaluated before any variable changes; then the variables change.
        func conclude(_ result: JSONValue?, next: String?, from rule: JSONValue? = nil, prefix: String = "") throws(StatesError) -> StepResult {
            if let result { fields.set("result", result) }
            let source = rule ?? .object(state.raw)
            var output = result ?? input
            if let template = source["Output"] { output = try fields.evaluate(template, field: prefix + "Output") }
            var assigned: JSONObject? = nil
            if let template = source["Assign"] { assigned = try fields.assignments(template, field: prefix + "Assign") }
            if let assigned { try scope.assign(assigned) }
            return StepResult(output: output, next: next, assigned: assigned)
        }

        switch state.kind {
        case .pass:
            return try conclude(nil, next: state.next)
        case .succeed:
            let output = try state["Output"].map { (t: JSONValue) throws(StatesError) -> JSONValue in try fields.evaluate(t, field: "Output") } ?? input
            return StepResult(output: output, next: nil)
        case .fail:
            func text(_ field: String) throws(StatesError) -> String? {
                guard let template = state[field] else { return nil }
                let value = try fields.typed(template, field: field, expected: "string") { $0.stringValue != nil }
                return value.stringValue
            }
            throw StatesError(try text("Error") ?? "", try text("Cause"))
        case .choice:
            for (i, rule) in (state["Choices"]?.arrayValue ?? []).enumerated() {
                guard let condition = rule["Condition"] else { continue }
                let value = try fields.typed(condition, field: "Choices[\(i)]/Condition", expected: "boolean") { $0.boolValue != nil }
                if value.boolValue == true { return try conclude(nil, next: rule["Next"]?.stringValue, from: rule, prefix: "Choices[\(i)]/") }
            }
            guard let fallback = state["Default"]?.stringValue else { throw StatesError(.noChoiceMatched, "No Matches!") }
            return try conclude(nil, next: fallback)
        case .wait:
            try await waitJSONata(state, fields)
            return try conclude(nil, next: state.next)
        case .task:
            let timeout = try fields.integer(state["TimeoutSeconds"], field: "TimeoutSeconds", minimum: 1)
            let heartbeat = try fields.integer(state["HeartbeatSeconds"], field: "HeartbeatSeconds", minimum: 1)
            let result = try await withRetry(state) { [self] (attempt: Int) async throws(StatesError) -> JSONValue in
                var attemptFields = fields
                let token = taskToken(for: state)
                if attempt > 0 || token != nil {
                    attemptFields.set("context", self.context(state: state.name, enteredMillis: enteredMillis, retryCount: attempt, mapItem: nil, taskToken: token))
                }
                let arguments = try state["Arguments"].map { (t: JSONValue) throws(StatesError) -> JSONValue in try attemptFields.evaluate(t, field: "Arguments") } ?? input
                return try await task(state, parameters: arguments, lane: lane, timeout: timeout, heartbeat: heartbeat, token: token)
            }
            return try conclude(result, next: state.next)
        case .parallel:
            let arguments = try state["Arguments"].map { (t: JSONValue) throws(StatesError) -> JSONValue in try fields.evaluate(t, field: "Arguments") } ?? input
            let result = try await withRetry(state) { [self] (_: Int) async throws(StatesError) -> JSONValue in
                try await branches(state, input: arguments, lane: lane)
            }
            return try conclude(result, next: state.next)
        case .map:
            let result = try await withRetry(state) { [self] (_: Int) async throws(StatesError) -> JSONValue in
                try await mapJSONata(state, input: input, fields: fields, lane: lane)
            }
            return try conclude(result, next: state.next)
        }
    }

    func mapJSONata(_ state: StateDefinition, input: JSONValue, fields: JSONataTemplate, lane: HistoryLane) async throws(StatesError) -> JSONValue {
        guard let processor = state.itemProcessor else { throw StatesError.runtime("A Map state needs an ItemProcessor") }
        if Self.isDistributed(state) { return try await distributedMap(state, processor: processor, input: input, reader: .jsonata(fields), lane: lane) }
        let items = try mapItems(state, input: input, .jsonata(fields))
        let limit = try mapMaxConcurrency(state, .jsonata(fields))
        let tolerated = try toleranceSettings(state, fields).allowed(of: items.count)
        let selector = state["ItemSelector"]
        return try await iterate(state, items: items, processor: processor, limit: limit, tolerated: tolerated, lane: lane) { [self] (index, item) throws(StatesError) -> JSONValue in
            guard let selector else { return item }
            var itemFields = fields
            itemFields.set("context", self.context(state: state.name, enteredMillis: interpreter.clock.nowMillis(), retryCount: nil, mapItem: (index, item)))
            return try itemFields.evaluate(selector, field: "ItemSelector")
        }
    }

    func waitJSONata(_ state: StateDefinition, _ fields: JSONataTemplate) async throws(StatesError) {
        var millis: Int64 = 0
        if let seconds = try fields.integer(state["Seconds"], field: "Seconds", minimum: 0) {
            millis = Int64(seconds) * 1000
        } else if let template = state["Timestamp"] {
            let value = try fields.evaluate(template, field: "Timestamp")
            guard let text = value.stringValue, let at = StatesTimestamp.parse(text) else {
                throw .queryEvaluation("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: \(value.stringValue ?? value.jsonString)", location: "Timestamp")
            }
            millis = at - interpreter.clock.nowMillis()
        }
        try await sleep(millis)
    }
}
