import AWSWire
import JSONCore
import ServiceKit
import StatesEngine

/// Batch inference from a state machine: `bedrock:createModelInvocationJob` (returns the job
/// ARN), `.sync` (waits for a terminal status and returns the job's description), and the
/// `aws-sdk:bedrock` forms of Create, Get, List and Stop.
extension TaskIntegrations {
    static let batchJobResources = [
        "arn:aws:states:::bedrock:createModelInvocationJob", "arn:aws:states:::bedrock:createModelInvocationJob.sync",
        "arn:aws:states:::aws-sdk:bedrock:createModelInvocationJob", "arn:aws:states:::aws-sdk:bedrock:getModelInvocationJob",
        "arn:aws:states:::aws-sdk:bedrock:listModelInvocationJobs", "arn:aws:states:::aws-sdk:bedrock:stopModelInvocationJob",
    ]

    /// How often `.sync` looks at the job, on the execution's clock.
    static let syncPollMillis: Int64 = 10_000

    func batchJob(_ resource: String, _ parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        let action = resource.split(separator: ":").last.map(String.init) ?? ""
        switch action {
        case "createModelInvocationJob", "createModelInvocationJob.sync":
            let members = SDKMemberCase.lowerCamel(parameters).objectValue ?? JSONObject()
            let parsed = try await document(
                .bedrock, "CreateModelInvocationJob", "POST", "/model-invocation-job", headers: [("Content-Type", "application/json")],
                input: members, context: context, errorPrefix: "Bedrock", serviceName: "Bedrock")
            guard action.hasSuffix(".sync"), let arn = parsed["jobArn"]?.stringValue else { return SDKMemberCase.pascal(parsed) }
            return try await waitForJob(arn, context: context)
        case "getModelInvocationJob":
            return SDKMemberCase.pascal(try await describeJob(try identifier(parameters), context: context))
        case "stopModelInvocationJob":
            let id = try identifier(parameters)
            _ = try await document(
                .bedrock, "StopModelInvocationJob", "POST", "/model-invocation-job/\(URIEncoding.encode(id))/stop", context: context,
                errorPrefix: "Bedrock", serviceName: "Bedrock")
            return .object(JSONObject())
        default:
            var query: [String] = []
            for (member, name) in [("StatusEquals", "statusEquals"), ("NameContains", "nameContains"), ("MaxResults", "maxResults"), ("NextToken", "nextToken"), ("SortOrder", "sortOrder")] {
                guard let value = parameters[member] else { continue }
                let text = value.stringValue ?? value.jsonString
                query.append("\(name)=\(URIEncoding.encode(text))")
            }
            let path = "/model-invocation-jobs" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
            let listed = try await document(.bedrock, "ListModelInvocationJobs", "GET", path, context: context, errorPrefix: "Bedrock", serviceName: "Bedrock")
            return SDKMemberCase.pascal(listed)
        }
    }

    func identifier(_ parameters: JSONValue) throws(StatesError) -> String {
        guard let id = parameters["JobIdentifier"]?.stringValue else {
            throw StatesError(.runtime, "The field 'JobIdentifier' is required for this integration")
        }
        return id
    }

    func describeJob(_ identifier: String, context: TaskContext) async throws(StatesError) -> JSONValue {
        try await document(
            .bedrock, "GetModelInvocationJob", "GET", "/model-invocation-job/\(URIEncoding.encode(identifier))", context: context,
            errorPrefix: "Bedrock", serviceName: "Bedrock")
    }

    /// `.sync`: polls until the job ends. Completed and PartiallyCompleted succeed with the
    /// job's description; Failed, Stopped and Expired fail the task with it as the cause.
    func waitForJob(_ arn: String, context: TaskContext) async throws(StatesError) -> JSONValue {
        while true {
            let job = try await describeJob(arn, context: context)
            let status = job["status"]?.stringValue ?? ""
            switch status {
            case "Completed", "PartiallyCompleted":
                return SDKMemberCase.pascal(job)
            case "Failed", "Stopped", "Expired":
                throw StatesError("Bedrock.ModelInvocationJob\(status)", SDKMemberCase.pascal(job).jsonString)
            default:
                await clock.sleep(milliseconds: Self.syncPollMillis)
                // Jobs advance on the server's own clock, so an instant execution clock still
                // waits a little real time between looks.
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
        }
    }
}
