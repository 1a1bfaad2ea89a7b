import AWSWire
import Chaos
import JSONCore
import Locking

/// Refuses calls whose rate limit bucket is empty, HTTP and internal alike, before faults and
/// the front end see them, with the service's own throttling error.
final class RateLimitStage: Sendable {
    let book: RateLimitBook
    let clock: any ServerClock
    /// The type (STANDARD or EXPRESS) of the machine, version or alias an ARN names; set once
    /// the Step Functions store exists, which itself needs the dispatcher this stage serves.
    let stateMachineType = Locked<(@Sendable (String) -> String?)?>(nil)

    init(book: RateLimitBook, clock: any ServerClock) {
        self.book = book
        self.clock = clock
    }

    /// The throttled answer, or nil to go on. The operation is only worked out when there are rules.
    func refusal(_ request: ServiceRequest, operation: @autoclosure () -> String) -> Dispatched? {
        guard !book.isEmpty, request.service != .admin else { return nil }
        let operation = operation()
        var type: String? = nil
        if request.service == .states, operation == "StartExecution",
            let arn = request.stateMachineArnInBody
        {
            type = stateMachineType.withLock { $0 }?(arn)
        }
        guard
            let rule = book.refuse(
                service: request.service.rawValue, operation: operation, stateMachineType: type, account: request.caller.account,
                region: request.caller.region, nowMillis: clock.nowMillis())
        else { return nil }
        let error = FaultStage.error(code: request.service == .s3 ? "SlowDown" : "ThrottlingException", message: nil, status: nil, service: request.service)
        var dispatched = Dispatched(operation: operation, response: ServiceErrors.response(error, service: request.service, requestId: request.requestId))
        dispatched.fault = "rateLimit:" + rule.name
        return dispatched
    }
}
