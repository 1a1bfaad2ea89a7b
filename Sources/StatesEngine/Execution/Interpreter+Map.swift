import JSONCore

extension Run {
    func map(_ state: StateDefinition, input: JSONValue, context: JSONValue, lane: HistoryLane) async throws(StatesError) -> JSONValue {
        guard let processor = state.itemProcessor else { throw StatesError.runtime("A Map state needs an ItemProcessor") }
        let fields = MapFieldReader.jsonPath(input: input, context: context)
        if Self.isDistributed(state) { return try await distributedMap(state, processor: processor, input: input, reader: fields, lane: lane) }
        let items = try mapItems(state, input: input, fields)
        // Inline iterations run one at a time, but a bad MaxConcurrencyPath still fails the state.
        _ = try mapMaxConcurrency(state, fields)
        let toleratedCount = try toleranceSettings(state, input: input, context: context).allowed(of: items.count)
        let selector = state["ItemSelector"] ?? state["Parameters"]
        return try await iterate(state, items: items, processor: processor, tolerated: toleratedCount, lane: lane) { [self] (index, item) throws(StatesError) -> JSONValue in
            let itemContext = self.context(state: state.name, enteredMillis: interpreter.clock.nowMillis(), retryCount: 0, mapItem: (index, item))
            return try template(selector, input: input, context: itemContext) ?? item
        }
    }

    /// Runs an inline Map's iterations in order, each in a variable scope of its own, with
    /// AWS's events and failure tolerance.
    func iterate(
        _ state: StateDefinition, items: [JSONValue], processor: StateMachineDefinition, tolerated toleratedCount: Int?, lane: HistoryLane,
        itemInput: (Int, JSONValue) throws(StatesError) -> JSONValue
    ) async throws(StatesError) -> JSONValue {
        lane.add("MapStateStarted", ("mapStateStartedEventDetails", ["length": JSONValue(items.count)]))
        var results: [JSONValue] = []
        var failures = 0
        for (index, item) in items.enumerated() {
            let input = try itemInput(index, item)
            let iteration: JSONValue = ["name": .string(state.name), "index": JSONValue(index)]
            lane.add("MapIterationStarted", ("mapIterationStartedEventDetails", iteration))
            do throws(StatesError) {
                results.append(try await inChildScope { () async throws(StatesError) -> JSONValue in
                    try await execute(processor, input: input, lane: lane.branch(), mapItem: (index, item))
                })
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

    /// ToleratedFailureCount and ToleratedFailurePercentage (or their Paths), checked.
    func toleranceSettings(_ state: StateDefinition, input: JSONValue, context: JSONValue) throws(StatesError) -> FailureTolerance {
        var settings = FailureTolerance()
        if let raw = PathFields.valueOrPath("ToleratedFailureCount", in: .object(state.raw), input: input, context: context) {
            guard let n = raw.intValue else {
                throw StatesError.runtime("The ToleratedFailureCountPath field refers to value \(raw.jsonString) which is not a valid integer: \(state["ToleratedFailureCountPath"]?.stringValue ?? "")")
            }
            guard n >= 0 else { throw StatesError.runtime("ToleratedFailureCount cannot be negative.") }
            settings.count = n
        }
        if let raw = PathFields.valueOrPath("ToleratedFailurePercentage", in: .object(state.raw), input: input, context: context) {
            guard let p = raw.doubleValue else {
                throw StatesError.runtime("The ToleratedFailurePercentagePath field refers to value \(raw.jsonString) which is not a valid float: \(state["ToleratedFailurePercentagePath"]?.stringValue ?? "")")
            }
            guard (0...100).contains(p) else { throw StatesError.runtime("ToleratedFailurePercentage must be between 0 and 100.") }
            settings.percentage = p
        }
        return settings
    }
}
