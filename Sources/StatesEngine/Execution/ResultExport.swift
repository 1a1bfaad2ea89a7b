import JSONCore

/// A Distributed Map's ResultWriter export: `<Prefix>/<map run id>/SUCCEEDED_0.json`,
/// `FAILED_0.json`, `PENDING_0.json` (`.jsonl` for JSONL output) and `manifest.json`, through
/// the writer's resource (`s3:putObject`). Succeeded entries come already shaped by the
/// WriterConfig; failed ones always keep their full record.
/// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
struct ResultExport {
    /// The results files, by the status of the children each holds.
    enum File: String, CaseIterable {
        case failed = "FAILED"
        case pending = "PENDING"
        case succeeded = "SUCCEEDED"
    }

    let run: Run
    let writer: ResultWriter
    let reader: MapFieldReader
    let context: TaskContext
    let mapRunArn: String
    let runId: String

    /// The state's result: where the manifest went.
    func write(succeeded: [JSONValue], failed: [JSONValue]) async throws(StatesError) -> JSONValue {
        let parameters = try reader.template(writer.parameters, field: "ResultWriter") ?? [:]
        guard let bucket = parameters["Bucket"]?.stringValue else { throw StatesError.runtime("The ResultWriter needs a Bucket") }
        var prefix = parameters["Prefix"]?.stringValue ?? ""
        if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
        let base = prefix + runId + "/"
        var files = JSONObject()
        for file in File.allCases {
            let entries: [JSONValue]
            switch file {
            case .failed: entries = failed
            case .pending: entries = []
            case .succeeded: entries = succeeded
            }
            guard !entries.isEmpty else {
                files[file.rawValue] = []
                continue
            }
            let (body, suffix) = writer.config.encode(entries)
            let key = base + "\(file.rawValue)_0" + suffix
            let size = try await put(bucket: bucket, key: key, body)
            files[file.rawValue] = [["Key": .string(key), "Size": JSONValue(size)]]
        }
        let manifest: JSONValue = ["DestinationBucket": .string(bucket), "MapRunArn": .string(mapRunArn), "ResultFiles": .object(files)]
        _ = try await put(bucket: bucket, key: base + "manifest.json", manifest.jsonString)
        return ["MapRunArn": .string(mapRunArn), "ResultWriterDetails": ["Bucket": .string(bucket), "Key": .string(base + "manifest.json")]]
    }

    /// Writes one object; its size in bytes.
    private func put(bucket: String, key: String, _ body: String) async throws(StatesError) -> Int {
        do {
            _ = try await run.interpreter.tasks.invoke(
                resource: writer.resource, parameters: ["Bucket": .string(bucket), "Key": .string(key), "Body": .string(body)], context: context)
        } catch {
            throw StatesError(.resultWriterFailed, error.cause ?? error.error)
        }
        return body.utf8.count
    }
}
