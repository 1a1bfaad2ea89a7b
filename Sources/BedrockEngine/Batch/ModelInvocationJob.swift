public import JSONCore

/// One batch inference job and where it is in its lifecycle. Its logic is a value:
/// `transition(at:timings:)` says what is due (enter a status, validate, finish), and the book
/// does the I/O.
public struct ModelInvocationJob: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case submitted = "Submitted", validating = "Validating", scheduled = "Scheduled", inProgress = "InProgress"
        case completed = "Completed", partiallyCompleted = "PartiallyCompleted", failed = "Failed"
        case stopping = "Stopping", stopped = "Stopped", expired = "Expired"

        public var isTerminal: Bool { [.completed, .partiallyCompleted, .failed, .stopped, .expired].contains(self) }
    }

    public struct Request: Sendable {
        public var jobName: String
        public var roleArn: String
        public var clientRequestToken: String?
        public var modelId: String
        public var inputUri: String
        public var inputBucketOwner: String?
        public var inputFormat: String?
        public var outputUri: String
        public var outputBucketOwner: String?
        public var outputKeyId: String?
        public var vpcConfig: JSONValue?
        public var timeoutHours: Int?
        public var modelInvocationType: String?
        public var tags: [(key: String, value: String)] = []

        public init(jobName: String, roleArn: String, modelId: String, inputUri: String, outputUri: String) {
            self.jobName = jobName
            self.roleArn = roleArn
            self.modelId = modelId
            self.inputUri = inputUri
            self.outputUri = outputUri
        }
    }

    public var jobId: String
    public var jobArn: String
    public var account: String
    public var region: String
    public var request: Request
    public var status = Status.submitted
    public var message: String?
    public var submitMillis: Int64
    public var lastModifiedMillis: Int64
    public var endMillis: Int64?
    /// When the current status was entered.
    var statusSince: Int64
    public var totalRecords: Int?
    public var processedRecords: Int?
    public var successRecords: Int?
    public var errorRecords: Int?
    /// Results computed when the job starts, written out as the job ends.
    var results: BatchResults?

    /// AWS's default timeout is 168 hours (seven days).
    public var timeoutHours: Int { request.timeoutHours ?? 168 }
    public var expirationMillis: Int64 { submitMillis + Int64(timeoutHours) * 3_600_000 }

    /// What the job's lifecycle asks for next, at `time`; nil when nothing is due.
    enum Transition: Equatable {
        case enter(Status, at: Int64)
        /// Validating is over: check the input and run the records.
        case validate(at: Int64)
        /// Write the first `processed` records' results and end in `status`.
        case finish(Status, processed: Int, at: Int64)
    }

    func transition(at time: Int64, timings: BatchTimings) -> Transition? {
        let due: Int64
        switch status {
        case .submitted: due = statusSince + timings.submittedMillis
        case .validating: due = statusSince + timings.validatingMillis
        case .scheduled: due = statusSince + timings.scheduledMillis
        case .inProgress: due = statusSince + timings.inProgressMillis
        case .stopping: due = statusSince + timings.stoppingMillis
        default: return nil
        }
        // A job not started, or not finished, by its expiration time ends there.
        if due > expirationMillis, time >= expirationMillis {
            if status == .inProgress {
                return .finish(.partiallyCompleted, processed: processed(at: expirationMillis, timings: timings), at: expirationMillis)
            }
            return status == .stopping ? stop(at: expirationMillis) : .enter(.expired, at: expirationMillis)
        }
        guard time >= due else { return nil }
        switch status {
        case .submitted: return .enter(.validating, at: due)
        case .validating: return .validate(at: due)
        case .scheduled: return .enter(.inProgress, at: due)
        case .inProgress: return .finish(.completed, processed: results?.total ?? 0, at: due)
        default: return stop(at: due)
        }
    }

    /// A job stopped before it ran has nothing to write; one stopped while running writes
    /// what it had finished.
    private func stop(at time: Int64) -> Transition {
        guard let processedRecords else { return .enter(.stopped, at: time) }
        return .finish(.stopped, processed: processedRecords, at: time)
    }

    /// Records an in-progress job has finished by `time`, evenly paced over the phase.
    func processed(at time: Int64, timings: BatchTimings) -> Int {
        let total = results?.total ?? 0
        guard timings.inProgressMillis > 0 else { return total }
        return min(total, Int(Int64(total) * max(0, time - statusSince) / timings.inProgressMillis))
    }

    mutating func enter(_ next: Status, at time: Int64, message: String? = nil) {
        status = next
        statusSince = time
        lastModifiedMillis = time
        if let message { self.message = message }
        if next.isTerminal { endMillis = time }
    }

    /// The job as GetModelInvocationJob and ListModelInvocationJobs show it (model order).
    public func wireShape(timestamp: (Int64) -> JSONValue) -> JSONValue {
        var o = JSONObject()
        o["jobArn"] = .string(jobArn)
        o["jobName"] = .string(request.jobName)
        o["modelId"] = .string(request.modelId)
        if let token = request.clientRequestToken { o["clientRequestToken"] = .string(token) }
        o["roleArn"] = .string(request.roleArn)
        o["status"] = .string(status.rawValue)
        if let message { o["message"] = .string(message) }
        o["submitTime"] = timestamp(submitMillis)
        o["lastModifiedTime"] = timestamp(lastModifiedMillis)
        if let endMillis { o["endTime"] = timestamp(endMillis) }
        var input = JSONObject()
        input["s3InputFormat"] = .string(request.inputFormat ?? "JSONL")
        input["s3Uri"] = .string(request.inputUri)
        if let owner = request.inputBucketOwner { input["s3BucketOwner"] = .string(owner) }
        o["inputDataConfig"] = ["s3InputDataConfig": .object(input)]
        var output = JSONObject()
        output["s3Uri"] = .string(request.outputUri)
        if let key = request.outputKeyId { output["s3EncryptionKeyId"] = .string(key) }
        if let owner = request.outputBucketOwner { output["s3BucketOwner"] = .string(owner) }
        o["outputDataConfig"] = ["s3OutputDataConfig": .object(output)]
        if let vpc = request.vpcConfig { o["vpcConfig"] = vpc }
        o["timeoutDurationInHours"] = JSONValue(timeoutHours)
        if status != .submitted && status != .validating { o["jobExpirationTime"] = timestamp(expirationMillis) }
        if let type = request.modelInvocationType { o["modelInvocationType"] = .string(type) }
        if let totalRecords { o["totalRecordCount"] = JSONValue(totalRecords) }
        if let processedRecords { o["processedRecordCount"] = JSONValue(processedRecords) }
        if let successRecords { o["successRecordCount"] = JSONValue(successRecords) }
        if let errorRecords { o["errorRecordCount"] = JSONValue(errorRecords) }
        return .object(o)
    }
}

/// How long each phase of a job lasts, in milliseconds of the server's clock (`bedrock.batch`).
/// All zero by default: a job completes when it is first observed.
public struct BatchTimings: Sendable, Equatable {
    public var submittedMillis: Int64 = 0
    public var validatingMillis: Int64 = 0
    public var scheduledMillis: Int64 = 0
    public var inProgressMillis: Int64 = 0
    public var stoppingMillis: Int64 = 0
    /// AWS's "Minimum number of records per batch inference job" quota (100 for most models).
    public var minimumRecords = 100
    /// AWS's "Records per batch inference job" quota (50,000 by default): a larger input fails
    /// validation before any record is run, so reading a job never waits on a huge input.
    public var maximumRecords = 50_000

    public init() {}
}
