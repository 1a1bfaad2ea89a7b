public import AWSWire
public import ServiceKit

/// What the HTTP edge hands whole requests to, and all it knows of the rest of the server. The
/// edge assembles requests, writes replies and handles connection faults; which stages run and
/// which service answers is the composition root's (`RequestPipeline` in `UnderstudyServer`),
/// so the compiler keeps the edge from reaching for a stage, the admin API or an engine.
public protocol EdgePipeline: Sendable {
    /// The clock the `Date` header reads (the server's own, which tests replace).
    var clock: any ServerClock { get }

    /// The service a request is for, from its head alone, so a body over the limit can be
    /// refused in that service's own error shape before it arrives.
    func identify(method: String, path: String, query: String, header: (String) -> String?) -> AWSService

    /// The id the reply carries (`x-amzn-RequestId`), chosen when the head arrives.
    func nextRequestId() -> String

    /// A whole request's reply: ready now, or work that waits (an execution, a worker).
    func handle(_ request: ServiceRequest) -> Handling

    /// Records a request the edge refused before it could be read (a body over the limit), as
    /// `name`, so the journal shows it like any other call.
    func recordRefusal(_ request: ServiceRequest, name: OperationName, _ reply: Reply, started: ContinuousClock.Instant)
}
