import JSONCore

/// A Map state's run: its items, concurrency and tolerance read in the state's language, then
/// the iterations inline or, in DISTRIBUTED mode, as a map run's child executions.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
struct MapRunner {
    let run: Run
    let state: StateDefinition
    let map: MapState
    let lane: HistoryLane

    /// The iterations' results become the state's output as they are (no ResultSelector,
    /// ResultPath, OutputPath or JSONata Output between): then their size can be checked
    /// against the payload limit while they arrive.
    var resultIsOutput: Bool {
        if state.isJSONata { return state.output == nil }
        guard map.resultSelector == nil, case .replace = map.resultPath, case .whole = state.outputPath else { return false }
        return true
    }

    /// The state's result. `input` is the state's input (JSONata takes the items from it
    /// when there is no `Items`).
    func run(input: JSONValue, reader: MapFieldReader) async throws(StatesError) -> JSONValue {
        guard let processor = map.processor else { throw StatesError.runtime("A Map state needs an ItemProcessor") }
        if map.distributed {
            return try await DistributedMapRunner(run: run, state: state, map: map, processor: processor, lane: lane, reader: reader).run(input: input)
        }
        let items = try reader.items(map, input: input)
        let limit = try reader.maxConcurrency(map)
        let tolerated = try reader.tolerance(map).allowed(of: items.count)
        let map = self.map
        let inline = InlineMapRunner(run: run, state: state, processor: processor, lane: lane, resultIsOutput: resultIsOutput)
        return try await inline.run(items: items, limit: limit, tolerated: tolerated) { (index, item) throws(StatesError) -> JSONValue in
            try reader.select(map, index: index, item: item, inline: true)
        }
    }
}
