import AWSWire
import NIOCore

/// Calls a service operation on behalf of the server itself (a Task in a state machine), going
/// through the same front ends and journal as HTTP requests, so canned rules, latency, and
/// later faults and quotas, see internal calls exactly as they see external ones.
public final class Dispatcher: Sendable {
    private let frontEnds: [AWSService: any ServiceFrontEnd]
    private let faults: FaultStage?
    private let rateLimits: RateLimitStage?
    private let record: @Sendable (ServiceRequest, Dispatched, NIODeadline) -> Void
    private let nextRequestId: @Sendable () -> String

    init(
        frontEnds: [AWSService: any ServiceFrontEnd], faults: FaultStage? = nil, rateLimits: RateLimitStage? = nil, nextRequestId: @escaping @Sendable () -> String,
        record: @escaping @Sendable (ServiceRequest, Dispatched, NIODeadline) -> Void
    ) {
        self.frontEnds = frontEnds
        self.faults = faults
        self.rateLimits = rateLimits
        self.nextRequestId = nextRequestId
        self.record = record
    }

    /// Runs an already-authenticated request and journals it.
    public func call(
        service: AWSService, method: String, path: String, headers: [(name: String, value: String)], body: [UInt8], caller: Caller,
        operation: String, stateMachine: String? = nil
    ) async -> AWSResponse {
        let started = NIODeadline.now()
        // A path may carry its query (`/bucket?list-type=2`), as an HTTP target does.
        let (rawPath, query) = path.firstIndex(of: "?").map { (String(path[..<$0]), String(path[path.index(after: $0)...])) } ?? (path, "")
        var request = ServiceRequest(
            method: method, path: rawPath, query: query, headers: headers, body: body, requestId: nextRequestId(), service: service, caller: caller)
        request.caller = caller
        guard let frontEnd = frontEnds[service] else { return AWSResponse(status: 404) }
        var dispatched =
            rateLimits?.refusal(request, operation: operation)
            ?? faults?.dispatch(request, operation: operation, stateMachine: stateMachine, through: frontEnd) ?? frontEnd.handle(request)
        if let pending = dispatched.pending {
            dispatched.response = await pending()
            dispatched.pending = nil
        }
        record(request, dispatched, started)
        return dispatched.response
    }
}
