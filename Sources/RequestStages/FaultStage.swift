import AWSWire
public import Chaos
import Determinism
public import ServiceKit

/// Applies fault rules to calls, HTTP and Task calls alike: an error or a connection fault
/// replaces the answer; latency delays it; a stream fault rewrites its event stream after N
/// events.
public struct FaultStage: DispatchStage {
    let book: FaultBook
    let clock: any ServerClock
    /// How each service words the errors the rules model.
    let wording: ErrorWording

    public init(book: FaultBook, clock: any ServerClock, wording: ErrorWording) {
        self.book = book
        self.clock = clock
        self.wording = wording
    }

    public func admit(_ operation: inout ServiceCall) -> Admission {
        guard !book.isEmpty else { return .proceed }
        let context = FaultContext(
            service: operation.service.rawValue, operation: operation.name.rawValue, model: operation.model, account: operation.caller.account,
            stateMachine: operation.stateMachineName, attempt: operation.attempt, nowMillis: clock.nowMillis())
        guard let rule = book.decide(context) else { return .proceed }
        if let replaced = replacement(for: rule, service: operation.service) {
            return .answer(replaced)
        }
        operation.fault = rule
        return .proceed
    }

    /// Latency and stream faults decided at admission, applied to the real reply.
    public func complete(_ reply: Reply, of call: ServiceCall) -> Reply {
        guard let rule = call.fault else { return reply }
        var amended = amend(reply, with: rule)
        amended.fault = rule.name
        return amended
    }

    /// A reply that replaces the real one (error and connection faults), or nil.
    func replacement(for rule: FaultRule, service: AWSService) -> Reply? {
        switch rule.fault {
        case .error(let code, let message, let status, let retryAfter):
            var reply = Reply(.failure(wording.error(code: code, message: message, status: status, service: service)), fault: rule.name)
            if let retryAfter { reply.headers.append(("x-amz-retry-after", String(retryAfter))) }
            return reply
        case .connection(let kind):
            return Reply(
                .raw(AWSResponse(status: 500)), delivery: Delivery(connectionFault: kind),
                fault: rule.name)
        case .latency, .stream:
            return nil
        }
    }

    /// Latency and stream faults, applied to the real reply.
    func amend(_ reply: Reply, with rule: FaultRule) -> Reply {
        var reply = reply
        switch rule.fault {
        case .latency(let ms, let jitter):
            reply.delivery.delayMillis += max(0, ms + book.jitter(for: rule, upTo: jitter))
        case .stream(let after, let fault):
            guard case .stream(let stream) = reply.outcome else { return reply }
            let (rewritten, cut) = StreamFaults.apply(fault, after: after, to: stream, wording: wording)
            reply.outcome = .stream(rewritten)
            if cut { reply.delivery.connectionFault = .close }
        default: break
        }
        return reply
    }
}
