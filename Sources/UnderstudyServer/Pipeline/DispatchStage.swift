/// One step every call passes on its way to a service and back: authentication, rate limits,
/// fault rules, the journal (and next the recorder). The dispatcher runs them in order.
public protocol DispatchStage: Sendable {
    /// Looks at a call before the service does; may fill in what it learned (the caller).
    func admit(_ operation: inout ServiceCall) -> Admission
}

/// What a stage decides about a call.
public enum Admission: Sendable {
    /// Go on, as the call is.
    case proceed
    /// Go on, and change the reply once it is there (latency, a stream fault, the journal);
    /// the amendment sees the call as the later stages left it (the caller authentication found).
    case amend(@Sendable (ServiceCall, Reply) -> Reply)
    /// Answer with this instead of calling the service (a refusal, an injected error). The
    /// amendments of the stages before still apply to it.
    case answer(Reply)
}
