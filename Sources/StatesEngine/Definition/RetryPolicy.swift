import JSONCore

/// One `Retry` entry, read once with the documented defaults (IntervalSeconds 1, MaxAttempts 3,
/// BackoffRate 2.0, no MaxDelaySeconds, JitterStrategy NONE).
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error
struct RetryPolicy: ErrorRule {
    enum Jitter: String, Sendable, CaseIterable {
        case none = "NONE"
        case full = "FULL"
    }

    let errorEquals: ErrorEquals
    let intervalSeconds: Int
    let maxAttempts: Int
    let backoffRate: Double
    let maxDelaySeconds: Double?
    let jitter: Jitter

    init(_ raw: JSONValue) {
        errorEquals = ErrorEquals(raw["ErrorEquals"])
        intervalSeconds = raw["IntervalSeconds"]?.intValue ?? 1
        maxAttempts = raw["MaxAttempts"]?.intValue ?? 3
        backoffRate = raw["BackoffRate"]?.doubleValue ?? 2.0
        maxDelaySeconds = raw["MaxDelaySeconds"]?.doubleValue
        jitter = raw["JitterStrategy"]?.stringValue == Jitter.full.rawValue ? .full : .none
    }

    /// The wait before retry number `attempt + 1` (from 0): IntervalSeconds × BackoffRate^attempt,
    /// capped by MaxDelaySeconds, scaled by a random fraction under FULL jitter (`random` is
    /// drawn only then). Huge products saturate rather than trap: without MaxDelaySeconds the
    /// wait is then simply very long, as on AWS.
    func delayMillis(attempt: Int, random: () -> UInt64) -> Int64 {
        var delay = Double(intervalSeconds) * Self.power(backoffRate, attempt)
        if let maxDelaySeconds { delay = min(delay, maxDelaySeconds) }
        if jitter == .full { delay *= Double(random() % 1000) / 1000 }
        return ExecutionTime.millis(seconds: delay)
    }

    /// `base^exponent` by repeated multiplication (the rounding the recorded executions saw),
    /// stopping once it is infinite.
    static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        var remaining = exponent
        while remaining > 0, result.isFinite {
            result *= base
            remaining -= 1
        }
        return result
    }
}
