import AWSWire
import BedrockEngine
import JSONCore
import ServiceKit

/// The batch inference operations of Bedrock's control plane: Create, Get, List and
/// StopModelInvocationJob, over the `BatchJobBook`.
extension BedrockControlFrontEnd {
    static let jobNamePattern = "[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}"
    static let roleArnPattern = "arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+"
    static let tokenPattern = "[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}"
    static let s3UriPattern = "s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](?:/[-!_*'().a-z0-9A-Z]+(?:/[-!_*'().a-z0-9A-Z]+)*)?/?"
    static let jobIdentifierPattern = "((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})"
    static let jobStatuses = ModelInvocationJob.Status.allCases.map(\.rawValue)

    func constraint(_ value: String, _ member: String, _ constraint: String) -> AWSServiceError {
        ServiceErrors.constraint(value: value, member: member, constraint: constraint, service: service)
    }

    func pattern(_ value: String, _ member: String, _ pattern: String) -> AWSServiceError {
        constraint(value, member, "Member must satisfy regular expression pattern: \(pattern)")
    }

    /// A Task's call hands its members over as `input`; an SDK's come as the body.
    func createModelInvocationJob(_ operation: ServiceCall) -> Reply {
        let request = operation.request
        guard let jobs else { return .failure(ServiceErrors.notEmulated("CreateModelInvocationJob", service: service)) }
        guard let body = operation.input.map(JSONValue.object) ?? (try? JSONParser.parse(request.body)), case .object = body else {
            return .failure(ServiceErrors.serialization("Unable to parse the request body as JSON", service: service))
        }
        do throws(AWSServiceError) {
            let parsed = try jobRequest(body)
            // A job the data directory cannot keep is not created: AWS's retryable 500.
            guard let job = try? jobs.create(parsed, account: request.caller.account, region: request.caller.region) else {
                return .failure(ServiceErrors.internalFailure(service: service))
            }
            return Reply(.document(["jobArn": .string(job.jobArn)]))
        } catch {
            return Reply.failure(error)
        }
    }

    /// The request's members, validated as Bedrock validates them.
    func jobRequest(_ body: JSONValue) throws(AWSServiceError) -> ModelInvocationJob.Request {
        func required(_ name: String) throws(AWSServiceError) -> String {
            guard let value = body[name]?.stringValue else {
                throw constraint("null", name, "Member must not be null")
            }
            return value
        }
        let name = try required("jobName")
        guard !name.isEmpty, name.utf8.count <= 63, JobPatterns.isJobName(name) else { throw pattern(name, "jobName", Self.jobNamePattern) }
        let role = try required("roleArn")
        guard role.utf8.count <= 2048, JobPatterns.isRoleArn(role) else { throw pattern(role, "roleArn", Self.roleArnPattern) }
        let model = try required("modelId")
        guard !model.isEmpty, model.utf8.count <= 2048, JobPatterns.isJobModelId(model) else {
            throw pattern(model, "modelId", "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/[a-z0-9-]{1,63}[.]{1}[a-z0-9-:]{1,63}/[a-z0-9]{12}$)|(:foundation-model/([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+)$)|([0-9]{12}:(inference-profile|application-inference-profile)/[a-zA-Z0-9-:.]+$)))|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+)")
        }
        guard let input = body["inputDataConfig"]?["s3InputDataConfig"], let inputUri = input["s3Uri"]?.stringValue else {
            throw constraint("null", "inputDataConfig.s3InputDataConfig.s3Uri", "Member must not be null")
        }
        guard inputUri.utf8.count <= 1024, JobPatterns.isS3Uri(inputUri) else { throw pattern(inputUri, "inputDataConfig.s3InputDataConfig.s3Uri", Self.s3UriPattern) }
        if let format = try optionalString(input["s3InputFormat"], "inputDataConfig.s3InputDataConfig.s3InputFormat"), format != "JSONL" {
            throw constraint(format, "inputDataConfig.s3InputDataConfig.s3InputFormat", "Member must satisfy enum value set: [JSONL]")
        }
        guard let output = body["outputDataConfig"]?["s3OutputDataConfig"], let outputUri = output["s3Uri"]?.stringValue else {
            throw constraint("null", "outputDataConfig.s3OutputDataConfig.s3Uri", "Member must not be null")
        }
        guard outputUri.utf8.count <= 1024, JobPatterns.isS3Uri(outputUri) else { throw pattern(outputUri, "outputDataConfig.s3OutputDataConfig.s3Uri", Self.s3UriPattern) }
        var request = ModelInvocationJob.Request(jobName: name, roleArn: role, modelId: model, inputUri: inputUri, outputUri: outputUri)
        if let token = try optionalString(body["clientRequestToken"], "clientRequestToken") {
            guard !token.isEmpty, token.utf8.count <= 256, JobPatterns.isToken(token) else { throw pattern(token, "clientRequestToken", Self.tokenPattern) }
            request.clientRequestToken = token
        }
        request.inputFormat = input["s3InputFormat"]?.stringValue
        request.inputBucketOwner = try checkedAccountId(input["s3BucketOwner"], "inputDataConfig.s3InputDataConfig.s3BucketOwner")
        request.outputBucketOwner = try checkedAccountId(output["s3BucketOwner"], "outputDataConfig.s3OutputDataConfig.s3BucketOwner")
        request.outputKeyId = try optionalString(output["s3EncryptionKeyId"], "outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId")
        if let key = request.outputKeyId { try length(key, "outputDataConfig.s3OutputDataConfig.s3EncryptionKeyId", min: 1, max: 2048) }
        request.vpcConfig = try checkedVpcConfig(body["vpcConfig"])
        if let hours = body["timeoutDurationInHours"] {
            guard let value = hours.intValue else { throw ServiceErrors.serialization("timeoutDurationInHours must be an integer", service: .bedrock) }
            if value < 24 { throw constraint(String(value), "timeoutDurationInHours", "Member must have value greater than or equal to 24") }
            if value > 168 { throw constraint(String(value), "timeoutDurationInHours", "Member must have value less than or equal to 168") }
            request.timeoutHours = value
        }
        if let type = try optionalString(body["modelInvocationType"], "modelInvocationType") {
            guard type == "InvokeModel" || type == "Converse" else {
                throw constraint(type, "modelInvocationType", "Member must satisfy enum value set: [InvokeModel, Converse]")
            }
            request.modelInvocationType = type
        }
        request.tags = try checkedTags(body["tags"])
        return request
    }

    func checkJobIdentifier(_ identifier: String) -> AWSServiceError? {
        JobPatterns.isJobIdentifier(identifier) ? nil : pattern(identifier, "jobIdentifier", Self.jobIdentifierPattern)
    }

    func notFound(_ identifier: String) -> AWSServiceError {
        AWSServiceError(code: "ResourceNotFoundException", message: "The specified job \(identifier) could not be found.", status: 404)
    }

    func getModelInvocationJob(_ request: ServiceRequest, identifier: String) -> Handling {
        if let failure = checkJobIdentifier(identifier) { return .now(.failure(failure)) }
        let jobs = self.jobs
        // Later: bringing a job up to date may read and write its S3 locations.
        return .later {
            guard let job = await jobs?.job(identifier, account: request.caller.account, region: request.caller.region) else {
                return Reply.failure(self.notFound(identifier))
            }
            return Reply(.document(job.wireShape(timestamp: Self.timestamp)))
        }
    }

    static func timestamp(_ millis: Int64) -> JSONValue { .string(AWSTimestamp.iso8601(epochMillis: millis)) }

    func stopModelInvocationJob(_ request: ServiceRequest, identifier: String) -> Handling {
        if let failure = checkJobIdentifier(identifier) { return .now(.failure(failure)) }
        let jobs = self.jobs
        return .later {
            switch await jobs?.stop(identifier, account: request.caller.account, region: request.caller.region) ?? .notFound {
            case .notFound: return Reply.failure(self.notFound(identifier))
            case .notStoppable(let job):
                return Reply.failure(
                    AWSServiceError(code: "ConflictException", message: "The job \(job.jobArn) can't be stopped because it is in the \(job.status.rawValue) state.", status: 400))
            case .stopping:
                return Reply(.document(.object(JSONObject())))
            }
        }
    }

    func listModelInvocationJobs(_ request: ServiceRequest) -> Handling {
        if let failure = checkEnum(request, "statusEquals", Self.jobStatuses) { return .now(.failure(failure)) }
        if let failure = checkEnum(request, "sortBy", ["CreationTime"]) { return .now(.failure(failure)) }
        if let failure = checkEnum(request, "sortOrder", ["Ascending", "Descending"]) { return .now(.failure(failure)) }
        let limit: Int
        switch maxResults(request) {
        case .success(let value): limit = value
        case .failure(let failure): return .now(.failure(failure))
        }
        let jobs = self.jobs
        return .later {
            let found = await jobs?.jobs(account: request.caller.account, region: request.caller.region) ?? []
            return self.listed(found, request: request, limit: limit)
        }
    }

    /// One page of the caller's jobs, filtered and sorted as the request asks.
    private func listed(_ jobs: [ModelInvocationJob], request: ServiceRequest, limit: Int) -> Reply {
        var found = jobs
        if let status = request.queryValue("statusEquals") { found = found.filter { $0.status.rawValue == status } }
        if let text = request.queryValue("nameContains") { found = found.filter { $0.request.jobName.contains(text) } }
        for (name, keep) in [("submitTimeAfter", { (t: Int64, m: Int64) in m > t }), ("submitTimeBefore", { (t: Int64, m: Int64) in m < t })] {
            guard let text = request.queryValue(name) else { continue }
            guard let bound = AWSTimestamp.epochMillis(iso8601: text) else {
                return Reply.failure(ServiceErrors.serialization("Cannot parse '\(text)' as a timestamp for \(name)", service: service))
            }
            found = found.filter { keep(bound, $0.submitMillis) }
        }
        // Newest first unless asked otherwise, as the console and API list them.
        if request.queryValue("sortOrder") != "Ascending" { found.reverse() }
        switch page(found, request: request, limit: limit, kind: "model-invocation-jobs") {
        case .failure(let failure): return Reply.failure(failure)
        case .success(let (slice, next)):
            var body = JSONObject()
            body["invocationJobSummaries"] = .array(slice.map { $0.wireShape(timestamp: Self.timestamp) })
            if let next { body["nextToken"] = .string(next) }
            return Reply(.document(.object(body)))
        }
    }
}

/// The batch API's identifier patterns, matched by hand (no regex engine on the hot path).
enum JobPatterns {
    static func isAlnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// `[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\+\-\.]){0,63}`: starts alphanumeric; then alphanumerics,
    /// `+`, `-` and `.`.
    static func isJobName(_ s: String) -> Bool {
        guard let first = s.utf8.first, isAlnum(first) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// `[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}`: alphanumerics and dashes, not at either end.
    static func isToken(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last, isAlnum(first), isAlnum(last) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isRoleArn(_ s: String) -> Bool {
        let parts = s.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1] == "aws" || parts[1].hasPrefix("aws-"), parts[2] == "iam", parts[3].isEmpty else { return false }
        guard parts[4].isEmpty || (parts[4].utf8.count == 12 && parts[4].utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return parts[5].hasPrefix("role/") && parts[5].utf8.count > 5
    }

    static func isS3Uri(_ s: String) -> Bool {
        guard s.hasPrefix("s3://") else { return false }
        var rest = Substring(s.dropFirst(5))
        let bucket = rest.prefix { $0 != "/" }
        rest = rest.dropFirst(bucket.count)
        let b = Array(bucket.utf8)
        func lowerAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) }
        guard (3...63).contains(b.count), lowerAlnum(b.first!), lowerAlnum(b.last!),
            b.allSatisfy({ lowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else { return false }
        if rest.isEmpty || rest == "/" { return true }
        var path = rest.dropFirst()
        if path.hasSuffix("/") { path = path.dropLast() }
        let allowed = Set("-!_*'().".utf8)
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && segment.utf8.allSatisfy { isAlnum($0) || allowed.contains($0) }
        }
    }

    /// Foundation model ids and ARNs, inference profile ids and ARNs, custom and provisioned
    /// model ARNs: close enough to the model's pattern to refuse what cannot be a model.
    static func isJobModelId(_ s: String) -> Bool {
        if BedrockIdentifierPattern.isModelIdentifier(s) || BedrockIdentifierPattern.isInferenceProfileIdentifier(s) { return true }
        return s.hasPrefix("arn:aws") && s.contains(":bedrock:")
    }

    static func isJobIdentifier(_ s: String) -> Bool {
        let id = s.split(separator: "/").last.map(Substring.init) ?? Substring(s)
        guard id.utf8.count == 12, id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }) else { return false }
        if id.utf8.count == s.utf8.count { return true }
        return s.hasPrefix("arn:aws") && s.contains(":bedrock:") && s.contains(":model-invocation-job/")
    }
}
