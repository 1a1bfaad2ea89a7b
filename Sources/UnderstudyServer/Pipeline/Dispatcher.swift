import AWSWire

/// The one boundary every service call crosses, from an SDK over HTTP or from a Task in a
/// state machine: the stages in order, then the service, then the stages' amendments in
/// reverse. So the journal, rate limits, fault rules and quotas see a Task's Bedrock call
/// exactly as they see an SDK's, and the call is never turned into HTTP bytes and back.
public final class Dispatcher: Sendable {
    let services: [AWSService: any ServiceFrontEnd]
    let stages: [any DispatchStage]
    /// The server's seeded request ids, for calls that do not come over HTTP.
    let requestIds: RequestIDGenerator

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
    /// `.now`, so the HTTP edge writes it without leaving the event loop.
    public func dispatch(_ operation: ServiceCall) -> Handling {
        var operation = operation
        var amendments: [@Sendable (ServiceCall, Reply) -> Reply] = []
        for stage in stages {
            switch stage.admit(&operation) {
            case .proceed: continue
            case .amend(let amend): amendments.append(amend)
            case .answer(let reply): return .now(Self.amended(reply, operation, amendments))
            }
        }
        guard let frontEnd = services[operation.service] else {
            return .now(Self.amended(.failure(ServiceErrors.unknownOperation(operation.service)), operation, amendments))
        }
        guard !amendments.isEmpty else { return frontEnd.handle(operation) }
        let admitted = operation
        return frontEnd.handle(operation).map { [amendments] reply in Self.amended(reply, admitted, amendments) }
    }

    /// Applies the stages' amendments, the last stage's first.
    static func amended(_ reply: Reply, _ operation: ServiceCall, _ amendments: [@Sendable (ServiceCall, Reply) -> Reply]) -> Reply {
        amendments.reversed().reduce(reply) { $1(operation, $0) }
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
