import JSONCore

/// A Map state: where its items come from, how each becomes an iteration's input, how many run
/// at once and how many may fail, and (Distributed) how they are read, batched and written.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html
struct MapState: Sendable {
    /// The ItemProcessor (or Iterator); nil fails the state when it runs.
    let processor: StateMachineDefinition?
    /// DISTRIBUTED mode, or an ItemReader: children run as executions of a map run.
    let distributed: Bool
    /// JSONPath `ItemsPath`.
    let itemsPath: InputSelection
    /// JSONata `Items`.
    let items: JSONValue?
    /// `ItemSelector` (JSONPath falls back to the older `Parameters`).
    let itemSelector: JSONValue?
    let maxConcurrency: SettingSource?
    let toleratedFailureCount: SettingSource?
    let toleratedFailurePercentage: SettingSource?
    let itemReader: ItemReader?
    let itemBatcher: ItemBatcher?
    let resultWriter: ResultWriter?
    /// The map run's label: `Label`, else the state's name.
    let label: String?
    let resultSelector: JSONValue?
    let resultPath: ResultPath
    var retry: [RetryPolicy]
    let catchers: [CatchRule]

    init(_ o: JSONObject, processor: StateMachineDefinition?, jsonata: Bool, path: String) throws(StateMachineDefinition.Problem) {
        self.processor = processor
        distributed = o["ItemReader"] != nil || o["ItemProcessor"]?["ProcessorConfig"]?["Mode"]?.stringValue == ProcessorMode.distributed.rawValue
        itemsPath = InputSelection(o["ItemsPath"])
        items = o["Items"]
        itemSelector = jsonata ? o["ItemSelector"] : o["ItemSelector"] ?? o["Parameters"]
        maxConcurrency = SettingSource("MaxConcurrency", in: .object(o), jsonata: jsonata)
        toleratedFailureCount = SettingSource("ToleratedFailureCount", in: .object(o), jsonata: jsonata)
        toleratedFailurePercentage = SettingSource("ToleratedFailurePercentage", in: .object(o), jsonata: jsonata)
        itemReader = o["ItemReader"].map { ItemReader($0, jsonata: jsonata) }
        itemBatcher = o["ItemBatcher"].map { ItemBatcher($0, jsonata: jsonata) }
        resultWriter = try ResultWriter(o["ResultWriter"], jsonata: jsonata, path: path)
        label = o["Label"]?.stringValue
        resultSelector = o["ResultSelector"]
        resultPath = ResultPath(o["ResultPath"])
        retry = (o["Retry"]?.arrayValue ?? []).map(RetryPolicy.init)
        catchers = (o["Catch"]?.arrayValue ?? []).map(CatchRule.init)
    }

    /// `ProcessorConfig.Mode`.
    enum ProcessorMode: String, CaseIterable {
        case inline = "INLINE"
        case distributed = "DISTRIBUTED"
    }
}
