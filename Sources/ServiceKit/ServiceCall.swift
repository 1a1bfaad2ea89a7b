public import AWSWire
public import Chaos
public import JSONCore

/// One call of one service operation, from an SDK over HTTP or from a Task in a state machine:
/// what every stage and every service reads. It is worked out once, where the call enters (the
/// HTTP edge or a Task integration), so no stage parses the request again. (Not `Operation`,
/// which every file that imports Foundation already has.)
public struct ServiceCall: Sendable {
    /// Where the call came from: over HTTP it must authenticate; a Task acts as its execution's
    /// account and region.
    public enum Origin: Sendable, Equatable {
        case http
        case task
    }

    public var service: AWSService
    public var name: OperationName
    public var origin: Origin
    /// The request as the wire shaped it: method, path, query, headers, body bytes. A Task's
    /// call fills in what its service reads.
    public var request: ServiceRequest
    /// The body as JSON, parsed once where the service's protocol is JSON and the body is an
    /// object (Step Functions); nil otherwise. `inputError` says why it could not be parsed.
    public var input: JSONObject?
    public var inputError: AWSServiceError?
    /// What the call concerns, for fault rules, rate limits and the journal: the model a
    /// Bedrock runtime call names, the state machine a Step Functions call or a Task names.
    public var model: String?
    public var stateMachineArn: String?
    public var stateMachineName: String?
    /// The latency or stream fault the fault stage decided on, applied to the reply.
    public var fault: FaultRule?
    /// When the call started, for the journal's latency (a monotonic instant, never the
    /// server clock, which tests move).
    public var started: ContinuousClock.Instant

    public var caller: Caller {
        get { request.caller }
        set { request.caller = newValue }
    }

    public var requestId: String { request.requestId }
    /// A Task's try of its state (1, then one more per Retry), set by the integration.
    public var taskAttempt: Int?
    /// The SDK's attempt number (`amz-sdk-request: attempt=N`), or a Task's try of its state,
    /// for fault rules and the journal.
    public var attempt: Int? { taskAttempt ?? request.sdkAttempt }

    public init(
        service: AWSService, name: OperationName, origin: Origin, request: ServiceRequest, input: JSONObject? = nil,
        inputError: AWSServiceError? = nil, model: String? = nil, stateMachineArn: String? = nil, stateMachineName: String? = nil,
        started: ContinuousClock.Instant = .now
    ) {
        self.service = service
        self.name = name
        self.origin = origin
        self.request = request
        self.input = input
        self.inputError = inputError
        self.model = model
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName ?? stateMachineArn.flatMap(Self.stateMachineName(fromArn:))
        self.started = started
    }

    /// `NAME` of `arn:…:stateMachine:NAME[:version or alias]`.
    private static func stateMachineName(fromArn text: String) -> String? {
        guard let arn = ARN(text) else { return nil }
        return arn.resource.utf8.split(separator: UInt8(ascii: ":")).dropFirst().first.map { String(Substring($0)) }
    }
}

/// An operation's name as its service's model spells it (`InvokeModel`, `StartExecution`,
/// `GetObject`); `Unknown` when a request names none.
public struct OperationName: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    public static let unknown: OperationName = "Unknown"
}
