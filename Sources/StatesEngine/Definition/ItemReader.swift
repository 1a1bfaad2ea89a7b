import JSONCore

/// A Distributed Map's `ItemReader`: the resource that reads the items, its request, and
/// `ReaderConfig` (passed on as written; `MaxItems` also cuts the list).
/// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
struct ItemReader: Sendable {
    let resource: String?
    /// `Parameters` (JSONPath) or `Arguments` (JSONata).
    let parameters: JSONValue?
    let readerConfig: JSONValue?
    let maxItems: SettingSource?

    init(_ raw: JSONValue, jsonata: Bool) {
        resource = raw["Resource"]?.stringValue
        parameters = raw[jsonata ? "Arguments" : "Parameters"]
        readerConfig = raw["ReaderConfig"]
        maxItems = SettingSource("MaxItems", in: raw["ReaderConfig"], jsonata: jsonata)
    }
}
