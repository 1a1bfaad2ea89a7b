import AWSWire
public import Chaos
import Determinism
public import ServiceKit

/// Refuses calls whose rate limit bucket is empty, HTTP and Task calls alike, before faults and
/// the service see them, with the service's own throttling error.
public struct RateLimitStage: DispatchStage {
    let book: RateLimitBook
    let clock: any ServerClock
    /// How each service words its throttling error.
    let wording: ErrorWording
    /// The type (STANDARD or EXPRESS) of the machine, version or alias an ARN names, for rules
    /// that tell StartExecution on the two apart.
    let stateMachineType: @Sendable (String) -> String?

    public init(
        book: RateLimitBook, clock: any ServerClock, wording: ErrorWording, stateMachineType: @escaping @Sendable (String) -> String?
    ) {
        self.book = book
        self.clock = clock
        self.wording = wording
        self.stateMachineType = stateMachineType
    }

    public func admit(_ operation: inout ServiceCall) -> Admission {
        guard !book.isEmpty else { return .proceed }
        var type: String? = nil
        if operation.service == .states, operation.name == "StartExecution", let arn = operation.stateMachineArn {
            type = stateMachineType(arn)
        }
        guard
            let rule = book.refuse(
                service: operation.service.rawValue, operation: operation.name.rawValue, stateMachineType: type,
                account: operation.caller.account, region: operation.caller.region, nowMillis: clock.nowMillis())
        else { return .proceed }
        return .answer(Reply(.failure(wording.throttling(operation.service)), fault: "rateLimit:" + rule.name))
    }
}
