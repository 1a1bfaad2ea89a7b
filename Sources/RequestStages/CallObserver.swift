/// Hears of every call the journal records, as it is recorded: the composition root's metrics.
///
/// A protocol rather than swift-metrics itself, so the stages stay free of any metrics
/// package and the server decides where counts go (or, with metrics off, passes none and the
/// journal pays nothing for them).
public protocol CallObserver: Sendable {
    /// One call answered: its service and operation as the journal names them, the HTTP status,
    /// the latency the journal measured, and what decided the answer when something did (a
    /// fault rule's name, `quota:NAME` or `rateLimit:NAME`).
    func answered(service: String, operation: String, status: Int, latencyMicros: Int64, fault: String?)
}
