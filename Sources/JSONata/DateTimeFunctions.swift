/// `$now`, `$millis`, `$fromMillis`, `$toMillis`. The clock is the evaluation's, so a run
/// under a fixed clock gives the same timestamps every time.
enum DateTimeFunctions {
    static func register(_ t: inout Builtins.Table) {
        Builtins.define(&t, "millis", "<:n>") { evaluator, _, _ throws(JSONataError) in
            .number(Double(evaluator.nowMillis))
        }
        Builtins.define(&t, "now", "<s?s?:s>") { evaluator, a, _ throws(JSONataError) in
            .string(try format(evaluator.nowMillis, picture: Builtins.argument(a, 0).stringValue, timezone: Builtins.argument(a, 1).stringValue))
        }
        Builtins.define(&t, "fromMillis", "<n-s?s?:s>") { _, a, _ throws(JSONataError) in
            guard let ms = a[0].numberValue else { return .undefined }
            return .string(try format(Int64(Int(saturating: ms.rounded(.down))), picture: Builtins.argument(a, 1).stringValue, timezone: Builtins.argument(a, 2).stringValue))
        }
        Builtins.define(&t, "toMillis", "<s-s?:n>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            if let picture = Builtins.argument(a, 1).stringValue {
                guard let ms = parse(s, picture: picture) else { return .undefined }
                return .number(Double(ms))
            }
            guard let ms = parseISO(s) else {
                throw JSONataError("D3110", "Unable to parse date/time string: \"\(s)\"")
            }
            return .number(Double(ms))
        }
    }

    // MARK: civil calendar

    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(abs(n))
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `+0100`, `-05:00` → minutes east of UTC.
    static func offsetMinutes(_ timezone: String?) -> Int? {
        guard let timezone, !timezone.isEmpty else { return nil }
        let digits = timezone.filter(\.isNumber)
        guard let sign = timezone.first, sign == "+" || sign == "-", digits.count == 4, let value = Int(digits) else { return nil }
        let minutes = value / 100 * 60 + value % 100
        return sign == "-" ? -minutes : minutes
    }

    // MARK: formatting

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static func format(_ millis: Int64, picture: String?, timezone: String?) throws(JSONataError) -> String {
        let offset = offsetMinutes(timezone) ?? 0
        guard let picture else {
            if timezone == nil { return iso(millis) }
            return try format(millis, picture: "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", timezone: timezone)
        }
        let local = millis + Int64(offset) * 60_000
        let dayNumber = Int((Double(local) / 86_400_000).rounded(.down))
        let msOfDay = Int(local - Int64(dayNumber) * 86_400_000)
        let (year, month, day) = civil(fromDays: dayNumber)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        let milli = msOfDay % 1000
        let weekday = ((dayNumber % 7) + 7 + 3) % 7  // 0 = Monday; 1970-01-01 was a Thursday
        let dayOfYear = dayNumber - daysFromCivil(year, 1, 1) + 1

        var out = ""
        let chars = Array(picture)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "[" {
                if i + 1 < chars.count, chars[i + 1] == "[" {
                    out.append("[")
                    i += 2
                    continue
                }
                guard let close = chars[i...].firstIndex(of: "]") else {
                    throw JSONataError("D3135", "No matching closing bracket ']' in date/time picture string")
                }
                let marker = String(chars[(i + 1)..<close]).filter { !$0.isWhitespace }
                i = close + 1
                guard let component = marker.first else { continue }
                var presentation = String(marker.dropFirst())
                if let comma = presentation.firstIndex(of: ",") { presentation = String(presentation[..<comma]) }
                func number(_ n: Int, defaultWidth: Int) -> String {
                    if presentation == "I" { return NumericFunctions.romanNumeral(n) }
                    if presentation == "i" { return NumericFunctions.romanNumeral(n).lowercased() }
                    let width = presentation.filter(\.isNumber).count
                    return pad(n, width == 0 ? defaultWidth : width)
                }
                func name(_ full: String) -> String {
                    switch presentation.prefix(2) {
                    case "NN", "N": return full.uppercased()
                    case "n": return full.lowercased()
                    default: return full
                    }
                }
                switch component {
                case "Y":
                    let width = presentation.filter(\.isNumber).count
                    out += width == 2 ? pad(year % 100, 2) : number(year, defaultWidth: 1)
                case "M":
                    out += presentation.hasPrefix("N") || presentation.hasPrefix("n") ? name(months[month - 1]) : number(month, defaultWidth: 1)
                case "D": out += number(day, defaultWidth: 1)
                case "d": out += number(dayOfYear, defaultWidth: 1)
                case "F":
                    out += presentation.isEmpty || presentation.hasPrefix("N") || presentation.hasPrefix("n") ? name(days[weekday]) : number(weekday + 1, defaultWidth: 1)
                case "H": out += number(hour, defaultWidth: 1)
                case "h":
                    let h12 = hour % 12 == 0 ? 12 : hour % 12
                    out += number(h12, defaultWidth: 1)
                case "P": out += presentation.hasPrefix("N") ? (hour < 12 ? "AM" : "PM") : (hour < 12 ? "am" : "pm")
                case "m": out += number(minute, defaultWidth: 2)
                case "s": out += number(second, defaultWidth: 2)
                case "f":
                    let width = max(1, presentation.filter(\.isNumber).count)
                    let fraction = pad(milli, 3)
                    out += width <= 3 ? String(fraction.prefix(width)) : fraction + String(repeating: "0", count: width - 3)
                case "Z", "z":
                    if presentation.hasSuffix("t"), offset == 0 {
                        out += "Z"
                        continue
                    }
                    let sign = offset < 0 ? "-" : "+"
                    let h = abs(offset) / 60, m = abs(offset) % 60
                    let separated = presentation.isEmpty || presentation.contains(":")
                    let text = sign + pad(h, 2) + (separated ? ":" : "") + pad(m, 2)
                    out += component == "z" ? "GMT" + text : text
                default:
                    throw JSONataError("D3132", "Unknown component specifier \(component) in date/time picture string")
                }
                continue
            }
            if c == "]", i + 1 < chars.count, chars[i + 1] == "]" {
                out.append("]")
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    static func iso(_ millis: Int64) -> String {
        let dayNumber = Int((Double(millis) / 86_400_000).rounded(.down))
        let msOfDay = Int(millis - Int64(dayNumber) * 86_400_000)
        let (y, m, d) = civil(fromDays: dayNumber)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(msOfDay / 3_600_000, 2)):\(pad(msOfDay / 60_000 % 60, 2)):\(pad(msOfDay / 1000 % 60, 2)).\(pad(msOfDay % 1000, 3))Z"
    }

    // MARK: parsing

    /// ISO 8601: a date, optionally a time with fraction, optionally `Z` or an offset.
    static func parseISO(_ s: String) -> Int64? {
        let c = Array(s.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= c.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard c[k] >= 0x30, c[k] <= 0x39 else { return nil }
                v = v * 10 + Int(c[k] - 0x30)
            }
            i += n
            return v
        }
        func take(_ ch: Character) -> Bool {
            if i < c.count, c[i] == ch.asciiValue! {
                i += 1
                return true
            }
            return false
        }
        guard let year = digits(4) else { return nil }
        var month = 1, day = 1
        if take("-") {
            guard let m = digits(2) else { return nil }
            month = m
            if take("-") {
                guard let d = digits(2) else { return nil }
                day = d
            }
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        var ms = 0
        var offset = 0
        if take("T") || take(" ") {
            guard let h = digits(2), take(":"), let mi = digits(2) else { return nil }
            var sec = 0
            if take(":") {
                guard let s2 = digits(2) else { return nil }
                sec = s2
                if take(".") {
                    var fraction = 0.0, scale = 0.1
                    while i < c.count, c[i] >= 0x30, c[i] <= 0x39 {
                        fraction += Double(c[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                    ms = Int((fraction * 1000).rounded(.down))
                }
            }
            guard h < 24, mi < 60, sec < 61 else { return nil }
            ms += ((h * 60 + mi) * 60 + sec) * 1000
            if take("Z") {
            } else if i < c.count, c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
                let negative = c[i] == UInt8(ascii: "-")
                i += 1
                guard let oh = digits(2) else { return nil }
                _ = take(":")
                let om = digits(2) ?? 0
                offset = (oh * 60 + om) * (negative ? -1 : 1)
            }
        }
        guard i == c.count else { return nil }
        return Int64(daysFromCivil(year, month, day)) * 86_400_000 + Int64(ms) - Int64(offset) * 60_000
    }

    /// A timestamp read by a picture of numeric components (`[Y0001]-[M01]-[D01] [H01]:[m01]`).
    static func parse(_ s: String, picture: String) -> Int64? {
        var values: [Character: Int] = [:]
        let text = Array(s)
        let chars = Array(picture)
        var i = 0, j = 0
        while i < chars.count {
            if chars[i] == "[" {
                guard let close = chars[i...].firstIndex(of: "]") else { return nil }
                let marker = String(chars[(i + 1)..<close])
                let component = marker.first ?? " "
                let width = marker.filter(\.isNumber).count
                var n = 0, read = 0
                // ASCII digits only (`isNumber` takes other scripts' digits too), and at most
                // nine of them, so no component can overflow what is computed from it.
                while j < text.count, text[j].isASCII, let digit = text[j].wholeNumberValue,
                    width == 0 || read < max(width, component == "Y" ? 4 : width)
                {
                    guard read < 9 else { return nil }
                    n = n * 10 + digit
                    j += 1
                    read += 1
                }
                guard read > 0 else { return nil }
                values[component] = n
                i = close + 1
            } else {
                guard j < text.count, text[j] == chars[i] else { return nil }
                i += 1
                j += 1
            }
        }
        let days = daysFromCivil(values["Y"] ?? 1970, values["M"] ?? 1, values["D"] ?? 1)
        let hours: Int = values["H"] ?? 0
        let minutes: Int = hours * 60 + (values["m"] ?? 0)
        let seconds: Int = minutes * 60 + (values["s"] ?? 0)
        let ms: Int = seconds * 1000 + (values["f"] ?? 0)
        let (dayMillis, overflow) = Int64(days).multipliedReportingOverflow(by: 86_400_000)
        guard !overflow else { return nil }
        let (total, overflowed) = dayMillis.addingReportingOverflow(Int64(ms))
        return overflowed ? nil : total
    }
}
