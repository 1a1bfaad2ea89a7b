import AWSWire
import JSONCore
import ServiceKit
import StatesEngine

/// Activities and task tokens: CreateActivity, DescribeActivity, ListActivities,
/// DeleteActivity, GetActivityTask (a long poll), and SendTaskSuccess, SendTaskFailure and
/// SendTaskHeartbeat for activity and `.waitForTaskToken` tasks.
extension StatesOperations {
    /// How long GetActivityTask waits for a task before answering with none, as AWS does.
    static let activityPollNanoseconds: UInt64 = 60_000_000_000

    var activityOperations: [String: StatesFrontEnd.Handler] {
        [
            "CreateActivity": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try createActivity(input, request) },
            "DescribeActivity": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try describeActivity(input, request) },
            "ListActivities": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try listActivities(input, request) },
            "DeleteActivity": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try deleteActivity(input, request) },
            "SendTaskSuccess": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try sendTaskSuccess(input, request) },
            "SendTaskFailure": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try sendTaskFailure(input, request) },
            "SendTaskHeartbeat": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try sendTaskHeartbeat(input, request) },
        ]
    }

    func createActivity(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let name = try Self.required(input, "name")
        try Self.checkName(name)
        let arn = "arn:aws:states:\(request.caller.region):\(request.caller.account):activity:\(name)"
        let activity = try activities.create(arn: arn, name: name, at: clock.nowMillis())
        return ["activityArn": .string(activity.arn), "creationDate": timestamp(activity.creationMillis)]
    }

    func describeActivity(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let activity = try existingActivity(try Self.required(input, "activityArn"))
        return ["activityArn": .string(activity.arn), "name": .string(activity.name), "creationDate": timestamp(activity.creationMillis)]
    }

    func listActivities(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let all = activities.activities(prefix: "arn:aws:states:\(request.caller.region):\(request.caller.account):activity:")
        let (page, next) = try paginate(all, input: input, kind: "activities")
        var o = JSONObject()
        o["activities"] = .array(page.map { ["activityArn": .string($0.arn), "name": .string($0.name), "creationDate": timestamp($0.creationMillis)] })
        if let next { o["nextToken"] = .string(next) }
        return .object(o)
    }

    func deleteActivity(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "activityArn")
        try Self.checkActivityArn(arn)
        try activities.delete(arn)
        return .object(JSONObject())
    }

    /// GetActivityTask: the oldest queued task, or one scheduled within the poll; `{}` when
    /// none arrives in 60 seconds.
    func getActivityTask(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> @Sendable () async -> JSONValue {
        let activity = try existingActivity(try Self.required(input, "activityArn"))
        let worker = input["workerName"]?.stringValue
        if let worker, !(1...80).contains(worker.count) {
            throw Self.validation("1 validation error detected: Value '\(worker)' at 'workerName' failed to satisfy constraint: Member must have length less than or equal to 80")
        }
        let book = activities
        return {
            guard let task = await book.poll(activityArn: activity.arn, workerName: worker, waitNanoseconds: Self.activityPollNanoseconds) else {
                return .object(JSONObject())
            }
            return ["taskToken": .string(task.token), "input": .string(task.input)]
        }
    }

    func sendTaskSuccess(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let token = try Self.taskToken(input)
        let output = try Self.required(input, "output")
        guard output.utf8.count <= 262_144 else {
            throw Self.validation("1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144")
        }
        guard (try? JSONParser.parse(Array(output.utf8))) != nil else { throw Self.error("InvalidOutput", "Invalid Output: '\(output)'") }
        try answer(token, .succeeded(output: output))
        return .object(JSONObject())
    }

    func sendTaskFailure(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let token = try Self.taskToken(input)
        let error = input["error"]?.stringValue
        let cause = input["cause"]?.stringValue
        if let error, error.count > 256 {
            throw Self.validation("1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256")
        }
        if let cause, cause.count > 32_768 {
            throw Self.validation("1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768")
        }
        try answer(token, .failed(error: error, cause: cause))
        return .object(JSONObject())
    }

    func sendTaskHeartbeat(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        try answer(try Self.taskToken(input), .heartbeat)
        return .object(JSONObject())
    }

    private func answer(_ token: String, _ signal: TaskSignal) throws(AWSServiceError) {
        do throws(ActivityBook.AnswerRefusal) {
            try activities.answer(token: token, with: signal)
        } catch {
            switch error {
            case .invalid: throw Self.error("InvalidToken", "Invalid Token: 'Invalid token'")
            case .gone: throw Self.error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
            }
        }
    }

    private static func taskToken(_ input: JSONObject) throws(AWSServiceError) -> String {
        let token = try required(input, "taskToken")
        guard (1...2048).contains(token.utf8.count) else {
            throw validation("1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length \(token.isEmpty ? "greater than or equal to 1" : "less than or equal to 2048")")
        }
        return token
    }

    private static func checkActivityArn(_ arn: String) throws(AWSServiceError) {
        guard let parsed = ARN(arn), parsed.service == "states", parsed.resource.hasPrefix("activity:"), parsed.resource.count > 9 else {
            throw error("InvalidArn", "Invalid Arn: '\(arn)'")
        }
    }

    private func existingActivity(_ arn: String) throws(AWSServiceError) -> ActivityBook.Activity {
        try Self.checkActivityArn(arn)
        guard let activity = activities.activity(arn) else { throw Self.error("ActivityDoesNotExist", "Activity Does Not Exist: '\(arn)'") }
        return activity
    }
}
