public import AWSWire
public import Chaos
public import JSONCore

/// What a service made of an operation, before any wire protocol: the HTTP edge renders it in
/// the service's protocol (`WireRendering`), a Task reads it as it is.
public enum Outcome: Sendable {
    /// A JSON answer (awsJson1_0 for Step Functions, restJson1 for Bedrock), with the headers
    /// the operation adds beside the protocol's own (Bedrock's token counts).
    case document(JSONValue, headers: [(name: String, value: String)] = [])
    /// An answer already in its wire form: S3's objects and XML, a cached rendering. Its
    /// status and headers are the operation's, request id included.
    case raw(AWSResponse)
    /// An event stream: encoded frames and, when latency is simulated, when each is due.
    case stream(EventStream)
    /// A modelled error; `resource` is what S3 names in its XML error.
    case failure(AWSServiceError, resource: String? = nil)
    /// An answer whose body is still arriving from another endpoint (record mode passing a
    /// real service's answer through): the edge writes each part as it comes, so a client
    /// reads a streamed answer's first frame as soon as the service sends it.
    case live(LiveResponse)

    /// Frames of an event-stream answer and their pacing.
    public struct EventStream: Sendable {
        public var frames: [[UInt8]]
        /// Milliseconds after the request at which each frame is due; nil sends them at once.
        public var offsets: [Int]?
        /// The operation's headers besides Content-Type and the request id.
        public var headers: [(name: String, value: String)]

        public init(frames: [[UInt8]], offsets: [Int]?, headers: [(name: String, value: String)] = []) {
            self.frames = frames
            self.offsets = offsets
            self.headers = headers
        }
    }

    /// The HTTP status the outcome is answered with, for the journal.
    public var status: Int {
        switch self {
        case .document, .stream: return 200
        case .raw(let response): return response.status
        case .live(let response): return response.status
        case .failure(let error, _): return error.status
        }
    }
}

/// How an answer leaves, beyond its content: simulated latency and injected network faults.
/// The HTTP edge acts on it; a Task waits the latency on its execution's clock and fails on a
/// broken connection.
public struct Delivery: Sendable, Equatable {
    /// The whole answer goes out this many milliseconds after the request.
    public var delayMillis = 0
    /// A network fault instead of (or, for a stream, after) the answer.
    public var connectionFault: ConnectionFault?

    public init(delayMillis: Int = 0, connectionFault: ConnectionFault? = nil) {
        self.delayMillis = delayMillis
        self.connectionFault = connectionFault
    }
}

/// An injected network fault (reset, close mid-body, stall): the fault rules' own kind.
public typealias ConnectionFault = FaultRule.ConnectionFault

/// An operation's answer with what the journal and the HTTP edge need beside it.
public struct Reply: Sendable {
    public var outcome: Outcome
    public var delivery = Delivery()
    /// The canned completion rule that produced the answer.
    public var rule: String?
    /// The fault rule, quota (`quota:NAME`) or rate limit (`rateLimit:NAME`) that applied.
    public var fault: String?
    /// Headers the answer carries whatever its outcome (an injected throttle's
    /// `x-amz-retry-after`).
    public var headers: [(name: String, value: String)] = []

    public init(_ outcome: Outcome, delivery: Delivery = Delivery(), rule: String? = nil, fault: String? = nil) {
        self.outcome = outcome
        self.delivery = delivery
        self.rule = rule
        self.fault = fault
    }

    public static func failure(_ error: AWSServiceError, resource: String? = nil) -> Reply { Reply(.failure(error, resource: resource)) }
}

/// A reply now, or one that comes when work finishes (StartSyncExecution waits for its
/// execution, GetActivityTask for a task). Most operations answer at once, and the HTTP edge
/// writes those without leaving the event loop; only the others become a Swift task.
public enum Handling: Sendable {
    case now(Reply)
    case later(@Sendable () async -> Reply)

    /// The reply, waiting for it if it is not there yet.
    public func reply() async -> Reply {
        switch self {
        case .now(let reply): return reply
        case .later(let work): return await work()
        }
    }
}
