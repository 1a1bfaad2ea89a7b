import AWSWire

/// The `Date` header changes once a second; each connection handler formats it at most that
/// often.
struct DateHeaderCache {
    private var second: Int64 = .min
    private var text = ""

    mutating func value(at epochSeconds: Int64) -> String {
        if epochSeconds != second {
            second = epochSeconds
            text = AWSTimestamp.httpDate(epochSeconds: epochSeconds)
        }
        return text
    }
}
