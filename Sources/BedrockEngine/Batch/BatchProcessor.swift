import Determinism
import JSONCore

/// What a job produced: one output file per input file, line for line, and the manifest's
/// counts. Computed when the job starts; written when it ends (in full, or the records
/// processed so far when it is stopped or runs out of time).
struct BatchResults: Sendable {
    struct File: Sendable {
        var key: String
        var lines: [[UInt8]]
        var failed: [Bool]
        var inputTokens: [Int]
        var outputTokens: [Int]
    }

    var files: [File] = []
    var total: Int { files.reduce(0) { $0 + $1.lines.count } }
}

/// Validates a job's input and runs its records through the Bedrock engine.
struct BatchProcessor {
    let storage: any BatchStorage
    let runtime: BedrockRuntime
    let seed: UInt64

    /// `s3://bucket/prefix` → (bucket, prefix); nil when not an S3 URI.
    static func split(_ uri: String) -> (bucket: String, key: String)? {
        guard uri.hasPrefix("s3://") else { return nil }
        let rest = uri.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/") else { return rest.isEmpty ? nil : (String(rest), "") }
        return (String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
    }

    /// The `.jsonl` objects a job reads: the object itself when the URI names one, else every
    /// `.jsonl` under the prefix, in key order.
    func inputKeys(_ uri: String) async throws(BatchFailure) -> (bucket: String, keys: [String]) {
        guard let (bucket, prefix) = Self.split(uri), await storage.bucketExists(bucket) else {
            throw BatchFailure("Unable to access the input S3 location \(uri). Check that the bucket exists and that the service role can read it.")
        }
        if prefix.hasSuffix(".jsonl"), await storage.objectExists(bucket: bucket, key: prefix) { return (bucket, [prefix]) }
        let keys = ((try? await storage.keys(bucket: bucket, prefix: prefix)) ?? []).filter { $0.hasSuffix(".jsonl") }
        guard !keys.isEmpty else {
            throw BatchFailure("No .jsonl files were found at the input S3 location \(uri). Upload at least one JSONL file and submit a new job.")
        }
        return (bucket, keys)
    }

    /// Validation: the model, the input files and the record count quotas.
    func validate(_ job: ModelInvocationJob, timings: BatchTimings) async throws(BatchFailure) -> [(key: String, lines: [ArraySlice<UInt8>])] {
        let minimumRecords = timings.minimumRecords
        guard runtime.catalog.foundationModel(identifier: job.request.modelId) != nil
            || runtime.catalog.inferenceProfile(identifier: job.request.modelId, region: job.region) != nil
        else { throw BatchFailure("The provided model identifier is invalid.") }
        guard let (outputBucket, _) = Self.split(job.request.outputUri), await storage.bucketExists(outputBucket) else {
            throw outputFailure(job)
        }
        let (bucket, keys) = try await inputKeys(job.request.inputUri)
        var files: [(key: String, lines: [ArraySlice<UInt8>])] = []
        var count = 0
        for key in keys {
            guard let bytes = try? await storage.get(bucket: bucket, key: key) else { continue }
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).filter { line in
                line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
            }
            count += lines.count
            if count > timings.maximumRecords {
                throw BatchFailure(
                    "The number of records in the input exceeds the maximum number of records per batch inference job (\(timings.maximumRecords)).")
            }
            files.append((key, lines))
        }
        if count < minimumRecords {
            throw BatchFailure(
                "The number of records in the input (\(count)) is less than the minimum number of records per batch inference job (\(minimumRecords)).")
        }
        return files
    }

    func outputFailure(_ job: ModelInvocationJob) -> BatchFailure {
        BatchFailure(
            "Unable to access the output S3 location \(job.request.outputUri). Check that the bucket exists and that the service role can write to it.")
    }

    /// Runs every record. A record that is not JSON, lacks `modelInput`, or that the model
    /// refuses becomes an error line; the job itself still completes.
    func process(_ job: ModelInvocationJob, files: [(key: String, lines: [ArraySlice<UInt8>])]) -> BatchResults {
        var random = SeededRandom(seed: seed, label: "batch-record-ids/\(job.jobId)")
        var results = BatchResults()
        let converse = job.request.modelInvocationType == "Converse"
        for file in files {
            var out = BatchResults.File(key: file.key, lines: [], failed: [], inputTokens: [], outputTokens: [])
            out.lines.reserveCapacity(file.lines.count)
            for line in file.lines {
                var record = JSONObject()
                let parsed = try? JSONParser.parse(Array(line))
                let recordId = parsed?["recordId"]?.stringValue ?? GeneratedID.make(prefix: "", length: 11, random: &random)
                record["recordId"] = .string(recordId)
                var failure: BedrockError?
                var output: JSONValue?
                var tokens = (0, 0)
                if let input = parsed?["modelInput"], case .object(let body) = input {
                    record["modelInput"] = input
                    do {
                        if converse {
                            let conversation = try runtime.converse(modelId: job.request.modelId, body: body, region: job.region, metered: false)
                            output = conversation.response
                            tokens = (conversation.completion.inputTokens, conversation.completion.outputTokens)
                        } else {
                            let invocation = try runtime.invoke(modelId: job.request.modelId, body: input.jsonBytes, region: job.region, metered: false)
                            output = invocation.body
                            tokens = (invocation.completion.inputTokens, invocation.completion.outputTokens)
                        }
                    } catch {
                        failure = error
                    }
                } else {
                    if let input = parsed?["modelInput"] { record["modelInput"] = input }
                    failure = parsed == nil
                        ? .validation("The record is not valid JSON.")
                        : .validation("The record must contain a modelInput JSON object.")
                }
                if let output {
                    record["modelOutput"] = output
                } else if let failure {
                    record["error"] = ["errorCode": JSONValue(failure.status), "errorMessage": .string(failure.message)]
                }
                out.lines.append(JSONValue.object(record).jsonBytes)
                out.failed.append(output == nil)
                out.inputTokens.append(tokens.0)
                out.outputTokens.append(tokens.1)
            }
            results.files.append(out)
        }
        return results
    }

    /// Writes `<output>/<jobId>/<input file>.out` for the first `processed` records and the
    /// manifest; returns the counts. A write the output location refuses fails the job.
    func write(_ results: BatchResults, job: ModelInvocationJob, processed: Int) async throws(BatchFailure) -> (success: Int, errors: Int) {
        guard let (bucket, prefix) = Self.split(job.request.outputUri) else { throw outputFailure(job) }
        let base = (prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/") + job.jobId + "/"
        var remaining = processed
        var success = 0, errors = 0, inputTokens = 0, outputTokens = 0
        let contentType = "application/octet-stream"
        for file in results.files {
            let take = min(remaining, file.lines.count)
            remaining -= take
            var body: [UInt8] = []
            for i in 0..<take {
                body.append(contentsOf: file.lines[i])
                body.append(UInt8(ascii: "\n"))
                if file.failed[i] { errors += 1 } else { success += 1 }
                inputTokens += file.inputTokens[i]
                outputTokens += file.outputTokens[i]
            }
            let name = file.key.split(separator: "/").last.map(String.init) ?? file.key
            do {
                try await storage.put(bucket: bucket, key: base + name + ".out", body: body, contentType: contentType)
            } catch {
                throw outputFailure(job)
            }
        }
        let manifest: JSONValue = [
            "totalRecordCount": JSONValue(results.total), "processedRecordCount": JSONValue(processed),
            "successRecordCount": JSONValue(success), "errorRecordCount": JSONValue(errors),
            "inputTokenCount": JSONValue(inputTokens), "outputTokenCount": JSONValue(outputTokens),
        ]
        do {
            try await storage.put(bucket: bucket, key: base + "manifest.json.out", body: manifest.jsonBytes, contentType: contentType)
        } catch {
            throw outputFailure(job)
        }
        return (success, errors)
    }
}

/// Why a job failed, in the words its `message` shows.
struct BatchFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
