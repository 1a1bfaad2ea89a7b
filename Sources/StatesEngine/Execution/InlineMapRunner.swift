import JSONCore

/// An inline Map's iterations, `limit` at most at once (MaxConcurrency, 0: no limit), each in
/// a variable scope of its own, with AWS's events and failure tolerance; results in item order.
struct InlineMapRunner {
    let run: Run
    let state: StateDefinition
    let processor: StateMachineDefinition
    let lane: HistoryLane
    /// Whether the results are the state's output unchanged (see `MapRunner.resultIsOutput`).
    let resultIsOutput: Bool

    /// What one iteration came to. `unselected`: its ItemSelector failed, which fails the Map
    /// itself rather than the iteration.
    enum Outcome: Sendable {
        case succeeded(JSONValue)
        case failed(StatesError)
        case unselected(StatesError)
    }

    static let toleranceExceeded = "The specified tolerated failure threshold was exceeded"

    func run(
        items: [JSONValue], limit: Int, tolerated toleratedCount: Int?, itemInput: @escaping @Sendable (Int, JSONValue) throws(StatesError) -> JSONValue
    ) async throws(StatesError) -> JSONValue {
        lane.add(.mapStateStarted, ["length": JSONValue(items.count)])
        var failures = 0
        var failure: StatesError?
        var iterationFailed = false
        let (name, processor, lane) = (state.name, self.processor, self.lane)
        let fanOut = FanOut(parent: run, count: items.count, limit: limit, waitsOnOutside: processor.waitsOnOutside)
        // The array's brackets and commas, then each result as it arrives: a fan-out whose
        // output cannot fit stops there, not after building every result (a nested Map of a
        // million iterations did).
        var outputBytes = 2 + max(0, items.count - 1)
        let checkSize = resultIsOutput
        let outcomes = try await fanOut.run { (_, outcome: Outcome) -> Bool in
            switch outcome {
            case .succeeded(let output):
                guard checkSize else { return false }
                outputBytes += output.jsonBytes.count
                guard outputBytes > Interpreter.maximumPayloadBytes else { return false }
                failure = StatesError(.dataLimitExceeded, MachineRunner.payloadExceeded(name))
                return true
            case .unselected(let error):
                failure = error
                return true
            case .failed(let error):
                failures += 1
                if let tolerated = toleratedCount, failures <= tolerated { return false }
                iterationFailed = true
                failure = toleratedCount == nil ? error : StatesError(.exceedToleratedFailureThreshold, Self.toleranceExceeded)
                return true
            }
        } _: { iteration, index in
            let item = items[index]
            let input: JSONValue
            do throws(StatesError) { input = try itemInput(index, item) } catch { return .unselected(error) }
            let details: JSONValue = ["name": .string(name), "index": JSONValue(index)]
            lane.add(.mapIterationStarted, details, branch: index)
            do throws(StatesError) {
                let output = try await MachineRunner(run: iteration).execute(processor, input: input, lane: lane.branch(index), mapItem: (index, item))
                lane.add(.mapIterationSucceeded, details, branch: index)
                return .succeeded(output)
            } catch {
                // A sibling's failure cancelled this iteration.
                let aborted = error.is(.aborted) && Task.isCancelled
                lane.add(aborted ? .mapIterationAborted : .mapIterationFailed, details, branch: index)
                return .failed(error)
            }
        }
        if let failure {
            if iterationFailed { lane.add(.mapStateFailed) }
            throw failure
        }
        lane.add(.mapStateSucceeded)
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
}
