import JSONCore

/// Wait states and the TimeoutSeconds/HeartbeatSeconds of JSONPath states.
extension Run {
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
        try await sleep(millis)
    }

    /// Waits `millis` on the execution clock, cut short by the state machine's timeout.
    func sleep(_ millis: Int64) async throws(StatesError) {
        if let deadline, interpreter.clock.nowMillis() + millis > deadline {
            await pause(max(0, deadline - interpreter.clock.nowMillis()))
            try checkDeadline()
        }
        await pause(millis)
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
}
