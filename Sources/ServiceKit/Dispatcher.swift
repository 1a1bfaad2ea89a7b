public import AWSWire

/// The one boundary every service call crosses, from an SDK over HTTP or from a Task in a
/// state machine: the stages admit it in order, the service answers, the stages complete the
/// reply in reverse. So the journal, rate limits, fault rules and quotas see a Task's Bedrock call
/// exactly as they see an SDK's, and the call is never turned into HTTP bytes and back.
public final class Dispatcher: Sendable {
    public let services: [AWSService: any ServiceFrontEnd]
    public let stages: [any DispatchStage]
    /// The server's seeded request ids, for calls that do not come over HTTP.
    public let requestIds: RequestIDGenerator

    public init(services: [AWSService: any ServiceFrontEnd], stages: [any DispatchStage], requestIds: RequestIDGenerator) {
        self.services = services
        self.stages = stages
        self.requestIds = requestIds
    }

    /// The service's operation for an HTTP request (its name, parsed input and resource).
    public func operation(for request: ServiceRequest) -> ServiceCall {
        guard let frontEnd = services[request.service] else {
            return ServiceCall(service: request.service, name: .unknown, origin: .http, request: request)
        }
        return frontEnd.operation(for: request)
    }

    /// Runs a call through the stages and its service. An answer that is ready comes back as
    /// `.now`, so the HTTP edge writes it without leaving the event loop; nothing here
    /// allocates for it beyond what the service does.
    public func dispatch(_ call: ServiceCall) -> Handling {
        var call = call
        for index in stages.indices {
            if case .answer(let reply) = stages[index].admit(&call) {
                return .now(completed(reply, of: call, through: index))
            }
        }
        guard let frontEnd = services[call.service] else {
            return .now(completed(.failure(ServiceErrors.unknownOperation(call.service)), of: call, through: stages.count))
        }
        switch frontEnd.handle(call) {
        case .now(let reply):
            return .now(completed(reply, of: call, through: stages.count))
        case .later(let work):
            let admitted = call
            return .later { [self] in completed(await work(), of: admitted, through: stages.count) }
        }
    }

    /// The reply completed by the stages before `end`, the last of them first.
    func completed(_ reply: Reply, of call: ServiceCall, through end: Int) -> Reply {
        var reply = reply
        var index = end
        while index > 0 {
            index -= 1
            reply = stages[index].complete(reply, of: call)
        }
        return reply
    }

    /// The reply to a call, waiting for it when it takes time.
    public func call(_ operation: ServiceCall) async -> Reply {
        await dispatch(operation).reply()
    }
}

extension Dispatcher {
    /// This dispatcher with one more service, through the same stages.
    public func serving(_ frontEnd: any ServiceFrontEnd) -> Dispatcher {
        var services = self.services
        services[frontEnd.service] = frontEnd
        return Dispatcher(services: services, stages: stages, requestIds: requestIds)
    }
}
