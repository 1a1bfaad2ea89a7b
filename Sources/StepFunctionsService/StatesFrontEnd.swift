public import AWSWire
public import JSONCore
public import ServiceKit

/// Step Functions' awsJson1_0 framing: `POST /`, `X-Amz-Target: AWSStepFunctions.<Op>`,
/// `application/x-amz-json-1.0` (parameters such as `; charset=utf-8` allowed), a JSON object
/// body (an empty body means `{}`).
public struct StatesFrontEnd: ServiceFrontEnd {
    public typealias Handler = @Sendable (JSONObject, ServiceRequest) throws(AWSServiceError) -> JSONValue?

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

    public typealias AsyncHandler = @Sendable (JSONObject, ServiceRequest) throws(AWSServiceError) -> @Sendable () async -> JSONValue

    /// Served operations by name; the Step Functions engine registers its own here.
    public var operations: [String: Handler]
    /// Operations that answer when work finishes (StartSyncExecution).
    public var asyncOperations: [String: AsyncHandler]

    public init(operations: [String: Handler] = [:], asyncOperations: [String: AsyncHandler] = [:]) {
        self.operations = operations
        self.asyncOperations = asyncOperations
    }

    public var servedOperations: [String] { (Array(operations.keys) + Array(asyncOperations.keys)).sorted() }

    /// The operation `X-Amz-Target` names, with the body parsed once: every stage and the
    /// operation read the same `JSONObject`. A body that is not a JSON object is kept as the
    /// SerializationException it answers with.
    public func operation(for request: ServiceRequest) -> ServiceCall {
        var name = OperationName.unknown
        if let target = request.header("X-Amz-Target"), target.hasPrefix(Self.targetPrefix) {
            name = OperationName(String(target.dropFirst(Self.targetPrefix.count)))
        }
        var input: JSONObject? = nil
        var inputError: AWSServiceError? = nil
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            input = JSONObject()
        } else {
            switch Result(catching: { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(request.body) }) {
            case .failure(let parseError):
                inputError = ServiceErrors.serialization(parseError.description, service: .states)
            case .success(.object(let object)):
                input = object
            case .success:
                inputError = ServiceErrors.serialization("Start of structure or map found where not expected.", service: .states)
            }
        }
        return ServiceCall(
            service: service, name: name, origin: .http, request: request, input: input, inputError: inputError,
            stateMachineArn: input?["stateMachineArn"]?.stringValue)
    }

    public func handle(_ operation: ServiceCall) -> Handling {
        let name = operation.name.rawValue
        let request = operation.request
        guard request.method == "POST", Self.modelledOperations.contains(name) else { return .now(.failure(ServiceErrors.unknownOperation(.states))) }
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        guard contentType.hasPrefix(AWSJSON10.contentType) || contentType.hasPrefix("application/json") else {
            return .now(.failure(ServiceErrors.serialization("Unsupported Content-Type: \(contentType.isEmpty ? "(none)" : contentType)", service: .states)))
        }
        guard let input = operation.input else {
            return .now(.failure(operation.inputError ?? ServiceErrors.serialization(nil, service: .states)))
        }
        if let run = asyncOperations[name] {
            do {
                let work = try run(input, request)
                return .later { Reply(.document(await work())) }
            } catch {
                return .now(.failure(error))
            }
        }
        guard let run = operations[name] else { return .now(.failure(ServiceErrors.notEmulated(name, service: .states))) }
        do {
            return .now(Reply(.document(try run(input, request) ?? .object(JSONObject()))))
        } catch {
            return .now(.failure(error))
        }
    }
}
