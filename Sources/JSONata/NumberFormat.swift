/// Numbers written as JavaScript writes them, which is what JSONata (a JavaScript library)
/// and so Step Functions produce: `1e21` not `1e+21.0`, `0.000001` but `1e-7`.
enum NumberFormat {
    /// `Number.prototype.toString()`.
    static func javaScript(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        if value == 0 { return "0" }
        let (digits, exponent) = decimalDigits(value)
        return layout(digits: digits, exponent: exponent, negative: value < 0)
    }

    /// `Number(value.toPrecision(15))` written out: how `$string` and `&` show a number, so
    /// `0.1 + 0.2` reads `0.3`.
    static func precision15(_ value: Double) -> String {
        if !value.isFinite || value == 0 { return javaScript(value) }
        var (digits, exponent) = decimalDigits(value)
        if digits.count > 15 {
            let roundUp = digits[15] >= 5
            digits = Array(digits[0..<15])
            if roundUp {
                var i = 14
                while i >= 0 {
                    if digits[i] == 9 {
                        digits[i] = 0
                        i -= 1
                    } else {
                        digits[i] += 1
                        break
                    }
                }
                if i < 0 {
                    digits.insert(1, at: 0)
                    exponent += 1
                }
            }
            while digits.last == 0 { digits.removeLast() }
        }
        return layout(digits: digits, exponent: exponent, negative: value < 0)
    }

    /// The shortest decimal digits that read back as `value`, and `n` such that
    /// |value| = 0.d₁d₂… × 10ⁿ.
    static func decimalDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        var text = Substring(value.magnitude.description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                seenPoint = true
                continue
            }
            digits.append(c - 48)
            if !seenPoint { point += 1 }
        }
        var position = point + exponent
        while digits.first == 0 {
            digits.removeFirst()
            position -= 1
        }
        while digits.last == 0 { digits.removeLast() }
        return (digits, position)
    }

    /// ECMAScript Number::toString layout of digits d₁…dₖ with exponent n.
    static func layout(digits: [UInt8], exponent n: Int, negative: Bool) -> String {
        let k = digits.count
        var out = negative ? "-" : ""
        func append(_ range: Range<Int>) { for i in range { out.unicodeScalars.append(Unicode.Scalar(digits[i] + 48)) } }
        if k <= n && n <= 21 {
            append(0..<k)
            out += String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            append(0..<n)
            out += "."
            append(n..<k)
        } else if -6 < n && n <= 0 {
            out += "0." + String(repeating: "0", count: -n)
            append(0..<k)
        } else {
            append(0..<1)
            if k > 1 {
                out += "."
                append(1..<k)
            }
            let e = n - 1
            out += e >= 0 ? "e+\(e)" : "e-\(-e)"
        }
        return out
    }
}

extension Int {
    /// A JSONata number as an index, count or width: NaN is 0 and magnitudes beyond 2^53
    /// saturate, so no argument can trap the conversion.
    init(saturating value: Double) {
        self = value.isNaN ? 0 : Int(Swift.max(-9_007_199_254_740_992, Swift.min(9_007_199_254_740_992, value)))
    }
}
