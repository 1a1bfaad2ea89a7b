/// Execution-time arithmetic that cannot trap. Durations come from definitions and inputs
/// (`SecondsPath`, `TimeoutSecondsPath`, a JSONata `Seconds`, a retrier's backoff), so any of
/// them may be absurd; they saturate instead, which on AWS is simply a very long wait.
public enum ExecutionTime {
    /// 9999-12-31T23:59:59.999Z, the last instant an ISO-8601 timestamp with a four-digit year
    /// names: an execution's clock goes no further, so every time it shows stays writable and
    /// every sum of it and a saturated duration stays an Int64.
    public static let latestMillis: Int64 = 253_402_300_799_999

    /// `seconds` in milliseconds, saturated.
    public static func millis(seconds: Int) -> Int64 {
        let (product, overflow) = Int64(seconds).multipliedReportingOverflow(by: 1000)
        guard overflow else { return product }
        return seconds < 0 ? .min : .max
    }

    /// `seconds` (a computed delay) in milliseconds, truncated toward zero and saturated; a NaN
    /// (an infinite delay times a zero jitter) is no wait.
    public static func millis(seconds: Double) -> Int64 {
        let millis = seconds * 1000
        if millis.isNaN { return 0 }
        if millis >= 9.2e18 { return .max }
        if millis <= -9.2e18 { return .min }
        return Int64(millis)
    }

    /// `a + b`, saturated.
    public static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b < 0 ? .min : .max
    }

    /// `a - b`, saturated.
    public static func subtracting(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        guard overflow else { return difference }
        return b < 0 ? .max : .min
    }
}
