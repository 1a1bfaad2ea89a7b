#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// `$number`, `$round`, `$power`, `$formatNumber`, … (JSONata numeric functions).
enum NumericFunctions {
    static func register(_ t: inout Builtins.Table) {
        Builtins.define(&t, "number", "<(nsb)-:n>") { _, a, _ throws(JSONataError) in
            switch a[0] {
            case .undefined: return .undefined
            case .number: return a[0]
            case .bool(let b): return .number(b ? 1 : 0)
            case .string(let s):
                if let n = parseNumber(s) { return .number(n) }
                throw JSONataError("D3030", "Unable to cast value to a number: \"\(s)\"")
            default:
                throw JSONataError("D3030", "Unable to cast value to a number: \(Evaluator.show(a[0]))")
            }
        }
        unary(&t, "abs") { .number(abs($0)) }
        unary(&t, "floor") { .number($0.rounded(.down)) }
        unary(&t, "ceil") { .number($0.rounded(.up)) }
        Builtins.define(&t, "sqrt", "<n-:n>") { _, a, _ throws(JSONataError) in
            guard let n = a[0].numberValue else { return .undefined }
            guard n >= 0 else { throw JSONataError("D3060", "The sqrt function cannot be applied to a negative number: \(NumberFormat.javaScript(n))") }
            return .number(n.squareRoot())
        }
        Builtins.define(&t, "round", "<n-n?:n>") { _, a, _ throws(JSONataError) in
            guard let n = a[0].numberValue else { return .undefined }
            return .number(round(n, precision: Int(saturating: Builtins.argument(a, 1).numberValue ?? 0)))
        }
        Builtins.define(&t, "power", "<n-n:n>") { _, a, _ throws(JSONataError) in
            guard let base = a[0].numberValue, let exponent = a[1].numberValue else { return .undefined }
            let result = power(base, exponent)
            guard result.isFinite else {
                throw JSONataError("D3061", "The power function has resulted in a value that cannot be represented as a JSON number: base=\(NumberFormat.javaScript(base)), exponent=\(NumberFormat.javaScript(exponent))")
            }
            return .number(result)
        }
        Builtins.define(&t, "formatBase", "<n-n?:s>") { _, a, _ throws(JSONataError) in
            guard let n = a[0].numberValue else { return .undefined }
            let radix = Int(saturating: Builtins.argument(a, 1).numberValue ?? 10)
            guard (2...36).contains(radix) else {
                throw JSONataError("D3100", "The radix of the formatBase function must be between 2 and 36.  It was given \(radix)")
            }
            let value = round(n, precision: 0)
            return .string(String(Int(saturating: value), radix: radix))
        }
        Builtins.define(&t, "formatNumber", "<n-so?:s>") { _, a, _ throws(JSONataError) in
            guard let n = a[0].numberValue, case .string(let picture) = a[1] else { return .undefined }
            return .string(try NumberPicture(picture).format(n))
        }
        Builtins.define(&t, "formatInteger", "<n-s:s>") { _, a, _ throws(JSONataError) in
            guard let n = a[0].numberValue, case .string(let picture) = a[1] else { return .undefined }
            return .string(formatInteger(Int(saturating: n.rounded(.towardZero)), picture: picture))
        }
        Builtins.define(&t, "parseInteger", "<s-s:n>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            let digits = s.filter { $0.isNumber || $0 == "-" }
            return .number(Double(digits) ?? .nan)
        }
    }

    private static func unary(_ t: inout Builtins.Table, _ name: String, _ body: @escaping (Double) -> Value) {
        Builtins.define(&t, name, "<n-:n>") { _, a, _ throws(JSONataError) in
            guard let n = a[0].numberValue else { return .undefined }
            return body(n)
        }
    }

    /// JSON number syntax, plus `0x`/`0o`/`0b` integers, as `$number` accepts them.
    static func parseNumber(_ s: String) -> Double? {
        let prefixes: [(String, Int)] = [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)]
        for (prefix, radix) in prefixes where s.hasPrefix(prefix) {
            return Int(s.dropFirst(2), radix: radix).map(Double.init)
        }
        guard let value = Double(s), value.isFinite else { return nil }
        // Double() takes forms JSON does not ("inf", "1.", ".5", "+1").
        guard let first = s.utf8.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return nil }
        if s.hasSuffix(".") || s.contains(".e") || s.contains(".E") || s.hasPrefix("-.") { return nil }
        return value
    }

    /// Round half to even at `precision` decimal places, shifting through the decimal
    /// exponent so `$round(1.005, 2)` sees 100.5 and not 100.49999.
    static func round(_ value: Double, precision: Int) -> Double {
        // Past a double's range of decimal places there is nothing to round, or nothing left.
        if precision > 330 { return value }
        if precision < -330 { return 0 }
        var shifted = value
        if precision != 0 { shifted = Double(NumberFormat.javaScript(value) + "e\(precision)") ?? value }
        var rounded = shifted.rounded(.toNearestOrAwayFromZero)
        if abs(rounded - shifted) == 0.5, rounded.truncatingRemainder(dividingBy: 2) != 0 {
            rounded = shifted.rounded(.toNearestOrEven)
        }
        if precision != 0 { rounded = Double(NumberFormat.javaScript(rounded) + "e\(-precision)") ?? rounded }
        return rounded == 0 ? 0 : rounded
    }

    static func power(_ base: Double, _ exponent: Double) -> Double {
        if exponent == exponent.rounded(), exponent.magnitude < 2_147_483_648 {
            var result = 1.0
            var b = base
            var e = Int(abs(exponent))
            while e > 0 {
                if e & 1 == 1 { result *= b }
                b *= b
                e >>= 1
            }
            return exponent < 0 ? 1 / result : result
        }
        return pow(base, exponent)
    }

    static func formatInteger(_ n: Int, picture: String) -> String {
        if picture == "I" || picture == "i" {
            let roman = romanNumeral(n)
            return picture == "i" ? roman.lowercased() : roman
        }
        let minimumDigits = picture.filter { $0.isNumber }.count
        let grouping = picture.contains(",")
        var digits = String(abs(n))
        if digits.count < minimumDigits { digits = String(repeating: "0", count: minimumDigits - digits.count) + digits }
        if grouping, let comma = picture.lastIndex(of: ",") {
            let size = picture.distance(from: comma, to: picture.endIndex) - 1
            if size > 0 {
                var grouped = ""
                for (i, c) in digits.reversed().enumerated() {
                    if i > 0, i % size == 0 { grouped.append(",") }
                    grouped.append(c)
                }
                digits = String(grouped.reversed())
            }
        }
        return (n < 0 ? "-" : "") + digits
    }

    static func romanNumeral(_ n: Int) -> String {
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var rest = n
        var out = ""
        for (value, letters) in table {
            while rest >= value {
                out += letters
                rest -= value
            }
        }
        return out
    }
}
