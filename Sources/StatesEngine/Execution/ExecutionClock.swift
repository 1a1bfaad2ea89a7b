/// Time for executions: Wait states, retry backoff, timeouts. Scaled or instant in tests.
public protocol ExecutionClock: Sendable {
    func nowMillis() -> Int64
    /// Waits `milliseconds` of execution time (which the clock may scale or skip). Any value
    /// must be safe: a wait may come from the input, saturated at `Int64.max`.
    func sleep(milliseconds: Int64) async
    /// Every wait elapses at once (time scale 0): waiting branches need not overlap.
    var isInstant: Bool { get }
}

extension ExecutionClock {
    public var isInstant: Bool { false }
}
