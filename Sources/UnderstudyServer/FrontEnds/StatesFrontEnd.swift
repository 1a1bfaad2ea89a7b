import AWSWire
import JSONCore

/// Step Functions' awsJson1_0 framing: `POST /`, `X-Amz-Target: AWSStepFunctions.<Op>`,
/// `application/x-amz-json-1.0` (parameters such as `; charset=utf-8` allowed), a JSON object
/// body (an empty body means `{}`).
public struct StatesFrontEnd: ServiceFrontEnd {
    public typealias Operation = @Sendable (JSONObject, ServiceRequest) throws(AWSServiceError) -> JSONValue?

    public let service = AWSService.states
    public static let targetPrefix = "AWSStepFunctions."
    public static let namespace = "com.amazonaws.swf.service.v2.model"

    /// Every operation in the Step Functions model (botocore `stepfunctions/2016-11-23`).
    public static let modelledOperations: Set<String> = [
        "CreateActivity", "CreateStateMachine", "CreateStateMachineAlias", "DeleteActivity", "DeleteStateMachine",
        "DeleteStateMachineAlias", "DeleteStateMachineVersion", "DescribeActivity", "DescribeExecution", "DescribeMapRun",
        "DescribeStateMachine", "DescribeStateMachineAlias", "DescribeStateMachineForExecution", "GetActivityTask",
        "GetExecutionHistory", "ListActivities", "ListExecutions", "ListMapRuns", "ListStateMachineAliases",
        "ListStateMachineVersions", "ListStateMachines", "ListTagsForResource", "PublishStateMachineVersion",
        "RedriveExecution", "SendTaskFailure", "SendTaskHeartbeat", "SendTaskSuccess", "StartExecution",
        "StartSyncExecution", "StopExecution", "TagResource", "TestState", "UntagResource", "UpdateMapRun",
        "UpdateStateMachine", "UpdateStateMachineAlias", "ValidateStateMachineDefinition",
    ]

    public typealias AsyncOperation = @Sendable (JSONObject, ServiceRequest) throws(AWSServiceError) -> @Sendable () async -> JSONValue

    /// Served operations by name; the Step Functions engine registers its own here.
    public var operations: [String: Operation]
    /// Operations that answer when work finishes (StartSyncExecution).
    public var asyncOperations: [String: AsyncOperation]

    public init(operations: [String: Operation] = [:], asyncOperations: [String: AsyncOperation] = [:]) {
        self.operations = operations
        self.asyncOperations = asyncOperations
    }

    public var servedOperations: [String] { (Array(operations.keys) + Array(asyncOperations.keys)).sorted() }

    public func operationName(_ request: ServiceRequest) -> String {
        guard let target = request.header("X-Amz-Target"), target.hasPrefix(Self.targetPrefix) else { return "Unknown" }
        return String(target.dropFirst(Self.targetPrefix.count))
    }

    public func handle(_ request: ServiceRequest) -> Dispatched {
        let name = operationName(request)
        guard request.method == "POST", Self.modelledOperations.contains(name) else {
            return error(ServiceErrors.unknownOperation(.states), operation: name, request: request)
        }
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        guard contentType.hasPrefix(AWSJSON10.contentType) || contentType.hasPrefix("application/json") else {
            return error(
                ServiceErrors.serialization("Unsupported Content-Type: \(contentType.isEmpty ? "(none)" : contentType)", service: .states),
                operation: name, request: request)
        }
        let input: JSONObject
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            input = JSONObject()
        } else {
            switch Result(catching: { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(request.body) }) {
            case .failure(let parseError):
                return error(ServiceErrors.serialization(parseError.description, service: .states), operation: name, request: request)
            case .success(let value):
                guard case .object(let object) = value else {
                    return error(
                        ServiceErrors.serialization("Start of structure or map found where not expected.", service: .states),
                        operation: name, request: request)
                }
                input = object
            }
        }
        if let operation = asyncOperations[name] {
            do {
                let work = try operation(input, request)
                let requestId = request.requestId
                return Dispatched(operation: name) { AWSJSON10.success(await work(), requestId: requestId) }
            } catch {
                return self.error(error, operation: name, request: request)
            }
        }
        guard let operation = operations[name] else {
            return error(ServiceErrors.notEmulated(name, service: .states), operation: name, request: request)
        }
        do {
            let output = try operation(input, request)
            return Dispatched(operation: name, response: AWSJSON10.success(output, requestId: request.requestId))
        } catch {
            return self.error(error, operation: name, request: request)
        }
    }
}
