public import JSONCore

/// A job as it is kept under `--data-dir` (`BatchJobRecords`): everything Get and List answer
/// and where the lifecycle stands (`statusSince`), but not its results, which follow from the
/// input and the seed and are computed again when a restored job still has to write them
/// (`needsResults`).
extension ModelInvocationJob {
    public var record: JSONValue {
        var o = JSONObject()
        o["jobId"] = .string(jobId)
        o["jobArn"] = .string(jobArn)
        o["account"] = .string(account)
        o["region"] = .string(region)
        var r = JSONObject()
        r["jobName"] = .string(request.jobName)
        r["roleArn"] = .string(request.roleArn)
        r["modelId"] = .string(request.modelId)
        r["inputUri"] = .string(request.inputUri)
        r["outputUri"] = .string(request.outputUri)
        for (name, value) in [
            ("clientRequestToken", request.clientRequestToken), ("inputBucketOwner", request.inputBucketOwner), ("inputFormat", request.inputFormat),
            ("outputBucketOwner", request.outputBucketOwner), ("outputKeyId", request.outputKeyId), ("modelInvocationType", request.modelInvocationType),
        ] {
            if let value { r[name] = .string(value) }
        }
        if let vpc = request.vpcConfig { r["vpcConfig"] = vpc }
        if let hours = request.timeoutHours { r["timeoutHours"] = JSONValue(hours) }
        if !request.tags.isEmpty { r["tags"] = .array(request.tags.map { [.string($0.key), .string($0.value)] }) }
        o["request"] = .object(r)
        o["status"] = .string(status.rawValue)
        if let message { o["message"] = .string(message) }
        o["submitted"] = JSONValue(Int(submitMillis))
        o["lastModified"] = JSONValue(Int(lastModifiedMillis))
        if let endMillis { o["ended"] = JSONValue(Int(endMillis)) }
        o["statusSince"] = JSONValue(Int(statusSince))
        for (name, value) in [
            ("totalRecords", totalRecords), ("processedRecords", processedRecords), ("successRecords", successRecords), ("errorRecords", errorRecords),
        ] {
            if let value { o[name] = JSONValue(value) }
        }
        return .object(o)
    }

    /// The job a record describes; nil when it is not one.
    public init?(record: JSONValue) {
        guard let jobId = record["jobId"]?.stringValue, let jobArn = record["jobArn"]?.stringValue,
            let account = record["account"]?.stringValue, let region = record["region"]?.stringValue,
            let r = record["request"], let jobName = r["jobName"]?.stringValue, let roleArn = r["roleArn"]?.stringValue,
            let modelId = r["modelId"]?.stringValue, let inputUri = r["inputUri"]?.stringValue, let outputUri = r["outputUri"]?.stringValue,
            let status = record["status"]?.stringValue.flatMap(Status.init(rawValue:)),
            let submitted = record["submitted"]?.intValue, let lastModified = record["lastModified"]?.intValue,
            let statusSince = record["statusSince"]?.intValue
        else { return nil }
        var request = Request(jobName: jobName, roleArn: roleArn, modelId: modelId, inputUri: inputUri, outputUri: outputUri)
        request.clientRequestToken = r["clientRequestToken"]?.stringValue
        request.inputBucketOwner = r["inputBucketOwner"]?.stringValue
        request.inputFormat = r["inputFormat"]?.stringValue
        request.outputBucketOwner = r["outputBucketOwner"]?.stringValue
        request.outputKeyId = r["outputKeyId"]?.stringValue
        request.modelInvocationType = r["modelInvocationType"]?.stringValue
        request.vpcConfig = r["vpcConfig"]
        request.timeoutHours = r["timeoutHours"]?.intValue
        request.tags = (r["tags"]?.arrayValue ?? []).compactMap { pair in
            guard let key = pair[0]?.stringValue, let value = pair[1]?.stringValue else { return nil }
            return (key, value)
        }
        self.init(
            jobId: jobId, jobArn: jobArn, account: account, region: region, request: request, submitMillis: Int64(submitted),
            lastModifiedMillis: Int64(lastModified), statusSince: Int64(statusSince))
        self.status = status
        message = record["message"]?.stringValue
        endMillis = record["ended"]?.intValue.map(Int64.init)
        totalRecords = record["totalRecords"]?.intValue
        processedRecords = record["processedRecords"]?.intValue
        successRecords = record["successRecords"]?.intValue
        errorRecords = record["errorRecords"]?.intValue
    }

    /// A restored job that will still write its results needs them computed again: one that
    /// passed validation and has not ended, or one stopping after it ran.
    var needsResults: Bool {
        guard results == nil, totalRecords != nil else { return false }
        return status == .scheduled || status == .inProgress || (status == .stopping && processedRecords != nil)
    }
}
