import AWSWire

/// ISO-8601 timestamps as Step Functions writes (`2024-02-07T13:50:28.123Z`) and reads them:
/// extended offset date-times only (a `T`, seconds, up to nine fractional digits, `Z` or an
/// offset), stricter than the wire codec, which this delegates the arithmetic to.
public enum StatesTimestamp {
    public static func format(millis: Int64) -> String { AWSTimestamp.iso8601(epochMillis: millis) }

    /// Milliseconds since the epoch, or nil when the text is not an extended offset date-time.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[10] == UInt8(ascii: "T") else { return nil }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard (1...9).contains(i - start) else { return nil }
        }
        guard i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        return AWSTimestamp.epochMillis(iso8601: text)
    }
}
