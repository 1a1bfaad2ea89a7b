/// The time a SigV4 request says it was signed at, read strictly.
///
/// A signature is only good for 15 minutes (a presigned URL for its `X-Amz-Expires`), which
/// holds only if every date that is not a real one is refused: a lenient reader that gives up
/// on `20200101T000000` (no `Z`), `garbage` or month 13 and then skips the time check makes a
/// captured signature good forever. AWS refuses such dates before it looks at the signature.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html
public enum SigV4RequestTime {
    /// `yyyyMMdd'T'HHmmss'Z'`: sixteen characters, digits where digits go, a date that exists.
    public static func epochSeconds(amzDate text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        guard let year = digits(b, 0..<4), let month = digits(b, 4..<6), let day = digits(b, 6..<8),
            let hour = digits(b, 9..<11), let minute = digits(b, 11..<13), let second = digits(b, 13..<15)
        else { return nil }
        return epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// An RFC 7231 date (`Sun, 06 Nov 1994 08:49:37 GMT`, the only form the `Date` header
    /// should take) as an `X-Amz-Date`, or nil when it is not one.
    public static func amzDate(httpDate text: String) -> String? {
        let b = Array(text.utf8)
        // "Www, DD Mon YYYY HH:MM:SS GMT"
        guard b.count == 29, b[3] == UInt8(ascii: ","), b[4] == space, b[7] == space, b[11] == space, b[16] == space,
            b[19] == colon, b[22] == colon, b[25] == space, Array(b[26..<29]) == Array("GMT".utf8),
            weekdays.contains(String(decoding: b[0..<3], as: UTF8.self))
        else { return nil }
        guard let monthIndex = months.firstIndex(of: String(decoding: b[8..<11], as: UTF8.self)),
            let day = digits(b, 5..<7), let year = digits(b, 12..<16), let hour = digits(b, 17..<19),
            let minute = digits(b, 20..<22), let second = digits(b, 23..<25),
            let seconds = epochSeconds(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return AWSTimestamp.amzDate(epochSeconds: seconds)
    }

    private static let space = UInt8(ascii: " ")
    private static let colon = UInt8(ascii: ":")
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The decimal number in `range`, or nil unless every byte is a digit (no sign, no space).
    private static func digits(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var value = 0
        for byte in bytes[range] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Seconds since the epoch for a date that exists in the proleptic Gregorian calendar
    /// (years 1 to 9999, so the arithmetic cannot overflow); nil otherwise.
    static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64? {
        guard (1...9999).contains(year), (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        return AWSTimestamp.epochSeconds(AWSTimestamp.Civil(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}
