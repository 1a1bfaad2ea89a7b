import JSONCore

extension Run {
    func map(_ state: StateDefinition, input: JSONValue, context: JSONValue, lane: HistoryLane) async throws(StatesError) -> JSONValue {
        guard let processor = state.itemProcessor else { throw StatesError.runtime("A Map state needs an ItemProcessor") }
        let fields = MapFieldReader.jsonPath(input: input, context: context)
        if Self.isDistributed(state) { return try await distributedMap(state, processor: processor, input: input, reader: fields, lane: lane) }
        let items = try mapItems(state, input: input, fields)
        let limit = try mapMaxConcurrency(state, fields)
        let toleratedCount = try toleranceSettings(state, input: input, context: context).allowed(of: items.count)
        let selector = state["ItemSelector"] ?? state["Parameters"]
        return try await iterate(state, items: items, processor: processor, limit: limit, tolerated: toleratedCount, lane: lane) { [self] (index, item) throws(StatesError) -> JSONValue in
            let itemContext = self.context(state: state.name, enteredMillis: interpreter.clock.nowMillis(), retryCount: 0, mapItem: (index, item))
            return try template(selector, input: input, context: itemContext) ?? item
        }
    }

    /// What one inline iteration came to. `unselected`: its ItemSelector failed, which fails
    /// the Map itself rather than the iteration.
    enum IterationOutcome: Sendable {
        case succeeded(JSONValue)
        case failed(StatesError)
        case unselected(StatesError)
    }

    /// Runs an inline Map's iterations, `limit` at most at once (MaxConcurrency, 0: no limit),
    /// each in a variable scope of its own, with AWS's events and failure tolerance; results
    /// in item order.
    func iterate(
        _ state: StateDefinition, items: [JSONValue], processor: StateMachineDefinition, limit: Int, tolerated toleratedCount: Int?, lane: HistoryLane,
        itemInput: @escaping @Sendable (Int, JSONValue) throws(StatesError) -> JSONValue
    ) async throws(StatesError) -> JSONValue {
        lane.add("MapStateStarted", ("mapStateStartedEventDetails", ["length": JSONValue(items.count)]))
        var failures = 0
        var failure: StatesError?
        var iterationFailed = false
        let outcomes = await fanOut(items.count, limit: limit, waitsOnOutside: processor.waitsOnOutside) { (_, outcome: IterationOutcome) -> Bool in
            switch outcome {
            case .succeeded:
                return false
            case .unselected(let error):
                failure = error
                return true
            case .failed(let error):
                failures += 1
                if let tolerated = toleratedCount, failures <= tolerated { return false }
                iterationFailed = true
                failure = toleratedCount == nil ? error : StatesError(.exceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded")
                return true
            }
        } _: { iteration, index in
            let item = items[index]
            let input: JSONValue
            do throws(StatesError) { input = try itemInput(index, item) } catch { return .unselected(error) }
            let details: JSONValue = ["name": .string(state.name), "index": JSONValue(index)]
            lane.add("MapIterationStarted", ("mapIterationStartedEventDetails", details))
            do throws(StatesError) {
                let output = try await iteration.execute(processor, input: input, lane: lane.branch(), mapItem: (index, item))
                lane.add("MapIterationSucceeded", ("mapIterationSucceededEventDetails", details))
                return .succeeded(output)
            } catch {
                // A sibling's failure cancelled this iteration.
                let aborted = error.is(.aborted) && Task.isCancelled
                lane.add(aborted ? "MapIterationAborted" : "MapIterationFailed", (aborted ? "mapIterationAbortedEventDetails" : "mapIterationFailedEventDetails", details))
                return .failed(error)
            }
        }
        if let failure {
            if iterationFailed { lane.add("MapStateFailed") }
            throw failure
        }
        lane.add("MapStateSucceeded")
        return .array(outcomes.map { outcome -> JSONValue in
            switch outcome {
            case .succeeded(let output)?: return output
            case .failed(let error)?:
                var failed = JSONObject()
                failed["Error"] = .string(error.error)
                failed["Cause"] = .string(error.cause ?? "")
                return .object(failed)
            default: return .null
            }
        })
    }

    /// ToleratedFailureCount and ToleratedFailurePercentage (or their Paths), checked.
    func toleranceSettings(_ state: StateDefinition, input: JSONValue, context: JSONValue) throws(StatesError) -> FailureTolerance {
        var settings = FailureTolerance()
        if let raw = PathFields.valueOrPath("ToleratedFailureCount", in: .object(state.raw), input: input, context: context) {
            guard let n = Self.pathInteger(raw) else {
                throw StatesError.runtime("The ToleratedFailureCountPath field refers to value \"\(Self.shown(raw))\" which is not a valid integer: \(state["ToleratedFailureCountPath"]?.stringValue ?? "")")
            }
            guard n >= 0 else { throw StatesError.runtime("ToleratedFailureCount cannot be negative.") }
            settings.count = n
        }
        if let raw = PathFields.valueOrPath("ToleratedFailurePercentage", in: .object(state.raw), input: input, context: context) {
            guard let p = Self.pathDouble(raw) else {
                throw StatesError.runtime("The ToleratedFailurePercentagePath field refers to value \"\(Self.shown(raw))\" which is not a valid float: \(state["ToleratedFailurePercentagePath"]?.stringValue ?? "")")
            }
            guard (0...100).contains(p) else { throw StatesError.runtime("ToleratedFailurePercentage must be between 0 and 100.") }
            settings.percentage = p
        }
        return settings
    }
}
