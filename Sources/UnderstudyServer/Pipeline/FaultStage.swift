import AWSWire
import BedrockEngine
import Chaos
import Determinism
import JSONCore
import ServiceKit
import StepFunctionsService

/// Applies fault rules to calls, HTTP and Task calls alike: an error or a connection fault
/// replaces the answer; latency delays it; a stream fault rewrites its event stream after N
/// events.
struct FaultStage: DispatchStage {
    let book: FaultBook
    let clock: any ServerClock

    func admit(_ operation: inout ServiceCall) -> Admission {
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
    func complete(_ reply: Reply, of call: ServiceCall) -> Reply {
        guard let rule = call.fault else { return reply }
        var amended = amend(reply, with: rule)
        amended.fault = rule.name
        return amended
    }

    /// A reply that replaces the real one (error and connection faults), or nil.
    func replacement(for rule: FaultRule, service: AWSService) -> Reply? {
        switch rule.fault {
        case .error(let code, let message, let status, let retryAfter):
            var reply = Reply(.failure(Self.error(code: code, message: message, status: status, service: service)), fault: rule.name)
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
            let (rewritten, cut) = StreamFaults.apply(fault, after: after, to: stream)
            reply.outcome = .stream(rewritten)
            if cut { reply.delivery.connectionFault = .close }
        default: break
        }
        return reply
    }

    /// A modelled error as each service words it.
    static func error(code: String, message: String?, status: Int?, service: AWSService) -> AWSServiceError {
        switch service {
        case .bedrock, .bedrockRuntime:
            let defaults = BedrockErrorCatalog.entries[code]
            let standard = code == "ThrottlingException" ? BedrockErrorCatalog.requestRateThrottle : defaults?.message
            return AWSServiceError(code: code, message: message ?? standard ?? code, status: status ?? defaults?.status ?? 400)
        case .states:
            switch code {
            case "ThrottlingException":
                return AWSServiceError(code: code, message: message ?? "Rate exceeded", status: status ?? 400, namespace: "com.amazon.coral.availability")
            case "InternalFailure", "ServiceUnavailable":
                return AWSServiceError(code: code, message: message, status: status ?? (code == "InternalFailure" ? 500 : 503), namespace: ServiceErrors.coralService)
            default:
                return AWSServiceError(code: code, message: message ?? code, status: status ?? 400, namespace: StatesFrontEnd.namespace)
            }
        case .s3:
            let defaults: [String: (Int, String)] = [
                "SlowDown": (503, "Please reduce your request rate."), "InternalError": (500, "We encountered an internal error. Please try again."),
                "ServiceUnavailable": (503, "Service is unable to handle request."),
            ]
            return AWSServiceError(code: code, message: message ?? defaults[code]?.1 ?? code, status: status ?? defaults[code]?.0 ?? 400)
        case .admin:
            return AWSServiceError(code: code, message: message, status: status ?? 500)
        }
    }
}

/// Rewrites an event stream after its first N events.
enum StreamFaults {
    /// The stream as the fault leaves it, and whether the connection drops at its end.
    static func apply(_ fault: FaultRule.StreamFault, after: Int, to stream: Outcome.EventStream) -> (Outcome.EventStream, cut: Bool) {
        let frames = stream.frames
        var tail: [[UInt8]] = []
        var stall = false
        var cut = false
        switch fault {
        case .exception(let code, let message):
            var payload = JSONObject()
            let defaults = BedrockErrorCatalog.entries[code]
            payload["message"] = .string(message ?? defaults?.message ?? code)
            if code == "ModelStreamErrorException" {
                payload["originalStatusCode"] = 500
                payload["originalMessage"] = "The model failed while streaming"
            }
            let member = code.prefix(1).lowercased() + code.dropFirst()
            tail.append((try? EventStreamEncoder.encode(.exception(member, payload: JSONValue.object(payload).jsonBytes))) ?? [])
        case .truncate:
            if after < frames.count { tail.append(Array(frames[after].prefix(frames[after].count / 2))) }
            // The connection drops mid-frame, with no closing chunk, as when a proxy cuts it.
            cut = true
        case .corruptCRC:
            if after < frames.count {
                var frame = frames[after]
                frame[frame.count - 1] ^= 0xFF
                tail.append(frame)
            }
        case .stall:
            stall = true
        }
        var out = stream
        out.frames = Array(frames.prefix(after)) + tail
        if stall || cut || stream.offsets != nil {
            let offsets = stream.offsets
            var due = out.frames.indices.map { i in offsets.map { $0[min(i, $0.count - 1)] } ?? 0 }
            // Stalling: nothing more arrives for ten minutes, then the stream ends.
            if stall {
                out.frames.append([])
                due.append(600_000)
            }
            out.offsets = due
        }
        return (out, cut)
    }
}
