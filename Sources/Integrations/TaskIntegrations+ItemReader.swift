import AWSWire
import JSONCore
import ServiceKit
import StatesEngine

/// Distributed Map's S3 resources: ItemReader's `s3:getObject` (one object, or the data files
/// an S3 inventory or Athena manifest names) and `s3:listObjectsV2` (object metadata, or with
/// `LOAD_AND_FLATTEN` the objects' contents), and ResultWriter's `s3:putObject`.
extension TaskIntegrations {
    func mapIO(_ action: String, _ parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        guard let bucket = parameters["Bucket"]?.stringValue else { throw StatesError(.runtime, "The field 'Bucket' is required") }
        let config = parameters["ReaderConfig"]
        if action == "listObjectsV2" {
            let listed = try await listedObjects(bucket, prefix: parameters["Prefix"]?.stringValue, context: context)
            guard config?["Transformation"]?.stringValue == "LOAD_AND_FLATTEN" else { return .array(listed) }
            guard config?["InputType"] != nil else {
                throw StatesError(.itemReaderFailed, "The ReaderConfig needs an InputType when its Transformation is LOAD_AND_FLATTEN.")
            }
            var items: [JSONValue] = []
            // Keys ending in "/" are the console's folder markers, not data.
            for key in listed.compactMap({ $0["Key"]?.stringValue }) where !key.hasSuffix("/") {
                items += try await objectItems(bucket, key, config: config, context: context)
            }
            return .array(items)
        }
        guard let key = parameters["Key"]?.stringValue else { throw StatesError(.runtime, "The field 'Key' is required") }
        if action == "putObject" {
            _ = try await s3Call("PUT", Self.objectPath(bucket, key), "PutObject", body: Self.bodyBytes(parameters["Body"]), context: context)
            return .object(JSONObject())
        }
        switch config?["ManifestType"]?.stringValue {
        case "S3_INVENTORY":
            guard config?["InputType"] == nil else {
                throw StatesError(.itemReaderFailed, "The ReaderConfig must not give an InputType when its ManifestType is S3_INVENTORY.")
            }
            return .array(try await inventoryItems(bucket, key, config: config, context: context))
        case "ATHENA_DATA":
            var items: [JSONValue] = []
            for file in try S3ItemReader.athenaDataFiles(try await object(bucket, key, context: context), key: key) {
                items += try await objectItems(file.bucket, file.key, config: config, context: context)
            }
            return .array(items)
        default:
            if config?["InputType"]?.stringValue == "MANIFEST" { return .array(try await inventoryItems(bucket, key, config: config, context: context)) }
            return .array(try await objectItems(bucket, key, config: config, context: context))
        }
    }

    func object(_ bucket: String, _ key: String, context: TaskContext) async throws(StatesError) -> [UInt8] {
        try await s3Call("GET", Self.objectPath(bucket, key), "GetObject", context: context).body
    }

    func objectItems(_ bucket: String, _ key: String, config: JSONValue?, context: TaskContext) async throws(StatesError) -> [JSONValue] {
        try S3ItemReader.items(from: try await object(bucket, key, context: context), key: key, config: config)
    }

    /// The objects an S3 inventory lists: every row of every data file, keyed by the
    /// manifest's `fileSchema` (the files have no header row).
    func inventoryItems(_ bucket: String, _ key: String, config: JSONValue?, context: TaskContext) async throws(StatesError) -> [JSONValue] {
        let manifest = try S3ItemReader.InventoryManifest(try await object(bucket, key, context: context), key: key)
        var items: [JSONValue] = []
        for file in manifest.keys {
            let data = try S3ItemReader.decompressed(try await object(manifest.bucket, file, context: context), key: file)
            items += S3ItemReader.records(try S3ItemReader.csvRows(data, delimiter: S3ItemReader.delimiter(config)), headers: manifest.columns)
        }
        return items
    }

    /// Every page of a ListObjectsV2, as Distributed Map's items.
    func listedObjects(_ bucket: String, prefix: String?, context: TaskContext) async throws(StatesError) -> [JSONValue] {
        var items: [JSONValue] = []
        var token: String?
        repeat {
            var query = "list-type=2"
            if let prefix { query += "&prefix=\(URIEncoding.encode(prefix))" }
            if let token { query += "&continuation-token=\(URIEncoding.encode(token))" }
            let response = try await s3Call("GET", "/\(URIEncoding.encode(bucket))?\(query)", "ListObjectsV2", context: context)
            guard let document = try? XMLElement.parse(response.body) else { break }
            items += S3ItemReader.listingItems(document)
            token = document.childText("IsTruncated") == "true" ? document.childText("NextContinuationToken") : nil
        } while token != nil
        return items
    }
}
