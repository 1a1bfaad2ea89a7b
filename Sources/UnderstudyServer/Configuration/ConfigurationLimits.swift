/// The ranges the server's own numbers must fall in, wherever they are given (file, variable,
/// flag or admin API), so that none can reach arithmetic that traps: a shutdown grace of
/// `Int.max` seconds overflows NIO's nanoseconds, a time scale of `1e300` overflows a sleep.
public enum ConfigurationLimits {
    /// Execution time scale: 0 (instant) to a thousand times slower than real time.
    public static let timeScale: ClosedRange<Double> = 0...1000
    /// Requests the journal keeps.
    public static let journalSize: ClosedRange<Int> = 1...1_000_000
    /// Largest request body: up to 5 GiB, S3's largest single upload.
    public static let maxBodyBytes: ClosedRange<Int> = 1...5 * 1024 * 1024 * 1024
    /// How long a graceful shutdown may wait: up to an hour.
    public static let shutdownGraceSeconds: ClosedRange<Int> = 0...3600
    /// Batch inference's minimum record count.
    public static let minimumRecords: ClosedRange<Int> = 0...1_000_000_000
    /// Batch inference's maximum record count (AWS's quota is 50,000; raised, it stays bounded).
    public static let maximumRecords: ClosedRange<Int> = 1...10_000_000
    /// From a request's first byte to its whole head.
    public static let headerTimeoutSeconds: ClosedRange<Int> = 1...3600
    /// A connection or body without bytes.
    public static let idleTimeoutSeconds: ClosedRange<Int> = 1...86400
    /// Open connections at once.
    public static let maxConnections: ClosedRange<Int> = 1...1_000_000
}
