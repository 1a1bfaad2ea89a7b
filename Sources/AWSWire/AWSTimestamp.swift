public import JSONCore

/// Timestamp forms on the AWS wire, without Foundation: SigV4's `yyyyMMdd'T'HHmmss'Z'`,
/// ISO-8601 with milliseconds (Bedrock), Java-style epoch-second doubles (Step Functions sends
/// `1.686509515191E9`), and RFC 7231 HTTP dates.
public enum AWSTimestamp {
    public struct Civil: Equatable, Sendable {
        public var year, month, day, hour, minute, second: Int
    }

    /// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(epochSeconds: Int64) -> Civil {
        let days = epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400
        let rem = epochSeconds - days * 86400
        let (y, mo, d) = civil(fromDays: days)
        return Civil(year: y, month: mo, day: d, hour: Int(rem / 3600), minute: Int(rem % 3600 / 60), second: Int(rem % 60))
    }

    public static func epochSeconds(_ c: Civil) -> Int64 {
        days(year: c.year, month: c.month, day: c.day) * 86400 + Int64(c.hour * 3600 + c.minute * 60 + c.second)
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `20150830T123600Z`
    public static func amzDate(epochSeconds: Int64) -> String {
        let c = civil(epochSeconds: epochSeconds)
        return "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))T\(pad(c.hour, 2))\(pad(c.minute, 2))\(pad(c.second, 2))Z"
    }

    public static func epochSeconds(amzDate: String) -> Int64? {
        let b = Array(amzDate.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13),
            let s = num(13..<15), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        return epochSeconds(Civil(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    public static func httpDate(epochSeconds: Int64) -> String {
        let c = civil(epochSeconds: epochSeconds)
        let days = epochSeconds >= 0 ? epochSeconds / 86400 : (epochSeconds - 86399) / 86400
        let wd = weekdays[Int(((days % 7) + 7) % 7)]
        return "\(wd), \(pad(c.day, 2)) \(months[c.month - 1]) \(pad(c.year, 4)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
    }

    public static func amzDate(fromHTTPDate text: String) -> String? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]), let mo = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        // Checked before any arithmetic: `If-Modified-Since: … 99999999999999 …` overflowed
        // the day count and trapped the server.
        guard hms.count == 3, (1...9999).contains(year), (1...31).contains(day), (0..<24).contains(hms[0]), (0..<60).contains(hms[1]),
            (0...60).contains(hms[2])
        else { return nil }
        return amzDate(epochSeconds: epochSeconds(Civil(year: year, month: mo + 1, day: day, hour: hms[0], minute: hms[1], second: hms[2])))
    }

    /// `2024-01-02T03:04:05.678Z`, the form Bedrock's control plane sends.
    public static func iso8601(epochMillis: Int64) -> String {
        let seconds = epochMillis >= 0 ? epochMillis / 1000 : (epochMillis - 999) / 1000
        let millis = Int(epochMillis - seconds * 1000)
        let c = civil(epochSeconds: seconds)
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)).\(pad(millis, 3))Z"
    }

    /// Parses `2024-01-02T03:04:05Z`, with optional fraction and `+hh:mm` offset, to milliseconds.
    public static func epochMillis(iso8601 text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":")
        else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            guard b[r].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int(String(decoding: b[r], as: UTF8.self))
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
            let s = num(17..<19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 3 { millis = millis * 10 + Int(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        var offset = 0
        if i < b.count {
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b.count - i == 6, b[i + 3] == UInt8(ascii: ":"),
                let oh = num(i + 1..<i + 3), let om = num(i + 4..<i + 6)
            {
                offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "+") ? 1 : -1)
                i += 6
            } else {
                return nil
            }
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = epochSeconds(Civil(year: y, month: mo, day: d, hour: h, minute: mi, second: s)) - Int64(offset)
        return seconds * 1000 + Int64(millis)
    }

    /// Epoch seconds as Java's `Double.toString` writes them, which is what Step Functions
    /// sends: `1.686509515191E9` (scientific from 10^7 up), `0.5` below.
    public static func epochSecondsNumber(epochMillis: Int64) -> JSONValue {
        .number(JSONNumber(text: epochSecondsText(epochMillis: epochMillis)) ?? JSONNumber(epochMillis / 1000))
    }

    /// `javaDoubleString(millis / 1000)`, written from the integer for the times of this era
    /// (10^7 to 10^12 seconds: every answer carries some, and going through Double's
    /// description was 2.5% of a StartSyncExecution). At 13 to 15 significant digits the
    /// shortest round-trip digits of the Double are exactly those of millis / 1000.
    static func epochSecondsText(epochMillis: Int64) -> String {
        guard epochMillis >= 10_000_000_000, epochMillis < 1_000_000_000_000_000 else {
            return javaDoubleString(Double(epochMillis) / 1000)
        }
        var digits = Array(String(epochMillis).utf8)
        let exponent = digits.count - 4  // digits before the point, less the one kept there
        while digits.count > 2, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        var text = [digits[0], UInt8(ascii: ".")]
        text.append(contentsOf: digits.dropFirst())
        text.append(contentsOf: "E\(exponent)".utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// Java's `Double.toString` for finite values: plain decimal in [10^-3, 10^7), otherwise
    /// `d.dddE±n`, always with at least one fractional digit. Uses Swift's shortest round-trip
    /// digits, which is what Java 19+ prints.
    public static func javaDoubleString(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Decompose Swift's shortest representation into digits and a decimal exponent.
        var text = value.magnitude.description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var intPart = text
        var fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var pointPosition = intPart.count + exponent  // digits before the decimal point
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        if magnitude >= 1e-3, magnitude < 1e7 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if pointPosition >= digits.count {
                return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            let idx = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<idx] + "." + digits[idx...]
        }
        let first = digits.prefix(1)
        let rest = digits.dropFirst()
        return sign + first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(pointPosition - 1)
    }
}
