/// One step every call passes on its way to a service and back: the journal, authentication,
/// rate limits, fault rules (and next the recorder). The dispatcher admits a call through them
/// in order, then completes the reply through them in reverse, so the first stage (the
/// journal) sees the reply as every later stage left it.
public protocol DispatchStage: Sendable {
    /// Looks at a call before the service does; may note what it learned on the call (the
    /// caller, the fault that applies).
    func admit(_ call: inout ServiceCall) -> Admission
    /// Changes the reply once it is there (latency, a stream fault) or observes it (the
    /// journal). Runs for every stage that admitted the call.
    func complete(_ reply: Reply, of call: ServiceCall) -> Reply
}

extension DispatchStage {
    public func complete(_ reply: Reply, of call: ServiceCall) -> Reply { reply }
}

/// What a stage decides about a call.
public enum Admission: Sendable {
    /// Go on to the next stage and the service.
    case proceed
    /// Answer with this instead of calling the service (a refusal, an injected error); the
    /// stages before still complete it.
    case answer(Reply)
}
