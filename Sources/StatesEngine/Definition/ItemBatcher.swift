import JSONCore

/// A Distributed Map's `ItemBatcher`: children get batches of items, cut by count and size.
/// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
struct ItemBatcher: Sendable {
    let maxItemsPerBatch: SettingSource?
    let maxInputBytesPerBatch: SettingSource?
    let batchInput: JSONValue?

    init(_ raw: JSONValue, jsonata: Bool) {
        maxItemsPerBatch = SettingSource("MaxItemsPerBatch", in: raw, jsonata: jsonata)
        maxInputBytesPerBatch = SettingSource("MaxInputBytesPerBatch", in: raw, jsonata: jsonata)
        batchInput = raw["BatchInput"]
    }
}
