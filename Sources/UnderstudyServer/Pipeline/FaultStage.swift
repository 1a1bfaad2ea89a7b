import AWSWire
import BedrockEngine
import Chaos
import JSONCore

/// Applies fault rules to calls, HTTP and internal (Task integrations) alike: an error or a
/// connection fault replaces the response; latency delays it; a stream fault rewrites its
/// event stream after N events.
final class FaultStage: Sendable {
    let book: FaultBook
    let clock: any ServerClock

    init(book: FaultBook, clock: any ServerClock) {
        self.book = book
        self.clock = clock
    }

    /// The operation, model and state machine a request concerns, for matching.
    func context(_ request: ServiceRequest, operation: String, stateMachine: String? = nil) -> FaultContext {
        var model: String? = nil
        var machine = stateMachine
        switch request.service {
        case .bedrockRuntime:
            let segments = request.pathSegments
            if segments.count > 1, segments[0] == "model" { model = segments[1] }
        case .states where machine == nil:
            // `stateMachine:NAME[:version or alias]`
            if let text = request.stateMachineArnInBody, let arn = ARN(text) {
                machine = arn.resource.split(separator: ":").dropFirst().first.map(String.init)
            }
        default: break
        }
        return FaultContext(
            service: request.service.rawValue, operation: operation, model: model, account: request.caller.account, stateMachine: machine,
            attempt: request.sdkAttempt, nowMillis: clock.nowMillis())
    }

    /// Runs a call through a front end with the fault rules applied around it. The operation
    /// name is only worked out when there are rules to match it against.
    func dispatch(
        _ request: ServiceRequest, operation: @autoclosure () -> String, stateMachine: String? = nil, through frontEnd: any ServiceFrontEnd
    ) -> Dispatched {
        guard !book.isEmpty, request.service != .admin else { return frontEnd.handle(request) }
        let operation = operation()
        guard let rule = book.decide(context(request, operation: operation, stateMachine: stateMachine)) else { return frontEnd.handle(request) }
        if let replaced = replacement(for: rule, request: request) {
            var dispatched = Dispatched(operation: operation, response: replaced)
            dispatched.fault = rule.name
            return dispatched
        }
        var dispatched = frontEnd.handle(request)
        dispatched.fault = rule.name
        if let pending = dispatched.pending {
            dispatched.pending = { [self] in amend(await pending(), with: rule) }
        } else {
            dispatched.response = amend(dispatched.response, with: rule)
        }
        return dispatched
    }

    /// A response that replaces the real one (error and connection faults), or nil.
    func replacement(for rule: FaultRule, request: ServiceRequest) -> AWSResponse? {
        switch rule.fault {
        case .error(let code, let message, let status, let retryAfter):
            var response = ServiceErrors.response(Self.error(code: code, message: message, status: status, service: request.service), service: request.service, requestId: request.requestId)
            if let retryAfter { response.headers.append(("x-amz-retry-after", String(retryAfter))) }
            return response
        case .connection(let kind):
            var response = AWSResponse(status: 500)
            response.connectionFault = kind.rawValue
            return response
        case .latency, .stream:
            return nil
        }
    }

    /// Latency and stream faults, applied to the real response.
    func amend(_ response: AWSResponse, with rule: FaultRule) -> AWSResponse {
        var response = response
        switch rule.fault {
        case .latency(let ms, let jitter):
            response.delayMillis += max(0, ms + book.jitter(for: rule, upTo: jitter))
        case .stream(let after, let fault):
            guard response.status == 200, response.header("Content-Type") == "application/vnd.amazon.eventstream" else { return response }
            response = StreamFaults.apply(fault, after: after, to: response)
        default: break
        }
        return response
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

/// Rewrites an event-stream body after its first N events.
enum StreamFaults {
    static func apply(_ fault: FaultRule.StreamFault, after: Int, to response: AWSResponse) -> AWSResponse {
        let frames: [[UInt8]]
        if let paced = response.pacedBody {
            frames = paced.map(\.bytes)
        } else {
            // The encoder is deterministic: re-encoding gives back each frame's exact bytes.
            frames = ((try? EventStreamDecoder.decodeAll(response.body)) ?? []).compactMap { try? EventStreamEncoder.encode($0) }
        }
        let offsets = response.pacedBody?.map(\.offsetMillis)
        let kept = Array(frames.prefix(after))
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
        var out = response
        let all = kept + tail
        if stall || cut || offsets != nil {
            var parts: [(offsetMillis: Int, bytes: [UInt8])] = []
            for (i, frame) in all.enumerated() { parts.append((offsets.map { $0[min(i, $0.count - 1)] } ?? 0, frame)) }
            // Stalling: nothing more arrives for ten minutes, then the stream ends.
            if stall { parts.append((600_000, [])) }
            out.pacedBody = parts
            out.body = []
            if cut { out.connectionFault = "close" }
        } else {
            out.body = all.flatMap { $0 }
        }
        return out
    }

}
