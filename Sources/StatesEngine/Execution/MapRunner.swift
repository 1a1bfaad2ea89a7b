import JSONCore

/// A Map state's run: its items, concurrency and tolerance read in the state's language, then
/// the iterations inline or, in DISTRIBUTED mode, as a map run's child executions.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
struct MapRunner {
    let run: Run
    let state: StateDefinition
    let map: MapState
    let lane: HistoryLane

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
        let inline = InlineMapRunner(run: run, state: state, processor: processor, lane: lane)
        return try await inline.run(items: items, limit: limit, tolerated: tolerated) { (index, item) throws(StatesError) -> JSONValue in
            try reader.select(map, index: index, item: item, inline: true)
        }
    }
}
