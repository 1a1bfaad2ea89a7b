/// An XPath `format-number` picture string (`#,##0.00`, `0.0%`), as `$formatNumber` takes it:
/// prefix and suffix text, mandatory and optional digits, grouping, percent and per-mille.
struct NumberPicture {
    struct Part {
        var prefix = ""
        var suffix = ""
        var minimumInteger = 0
        var groupSizes: [Int] = []
        var minimumFraction = 0
        var maximumFraction = 0
        var scale = 1.0
    }

    var positive: Part
    var negative: Part?

    init(_ picture: String) throws(JSONataError) {
        let halves = picture.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        positive = try Self.part(halves[0])
        negative = halves.count > 1 ? try Self.part(halves[1]) : nil
    }

    private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    private static func part(_ text: String) throws(JSONataError) -> Part {
        let chars = Array(text)
        let active: (Character) -> Bool = { isDigit($0) || $0 == "#" || $0 == "." || $0 == "," }
        guard let first = chars.firstIndex(where: { isDigit($0) || $0 == "#" || $0 == "." }),
            let last = chars.lastIndex(where: { isDigit($0) || $0 == "#" })
        else {
            throw JSONataError("D3085", "The picture string must contain at least one digit or '#'")
        }
        var end = last
        while end + 1 < chars.count, active(chars[end + 1]), chars[end + 1] != "," { end += 1 }
        var part = Part()
        part.prefix = String(chars[..<first])
        part.suffix = String(chars[(end + 1)...])
        if part.prefix.contains("%") || part.suffix.contains("%") { part.scale = 100 }
        if part.prefix.contains("‰") || part.suffix.contains("‰") { part.scale = 1000 }
        let mantissa = chars[first...end]
        let integer: ArraySlice<Character>
        let fraction: ArraySlice<Character>
        if let point = mantissa.firstIndex(of: ".") {
            integer = mantissa[..<point]
            fraction = mantissa[(point + 1)...]
        } else {
            integer = mantissa
            fraction = []
        }
        part.minimumInteger = integer.filter(isDigit).count
        part.minimumFraction = fraction.filter(isDigit).count
        part.maximumFraction = fraction.filter { isDigit($0) || $0 == "#" }.count
        if part.minimumInteger == 0, part.maximumFraction == 0 { part.minimumInteger = 1 }
        var count = 0
        for c in integer.reversed() {
            if c == "," { part.groupSizes.append(count) } else { count += 1 }
        }
        return part
    }

    func format(_ value: Double) -> String {
        let part = value < 0 ? (negative ?? positive) : positive
        let magnitude = abs(value) * part.scale
        let rounded = NumericFunctions.round(magnitude, precision: part.maximumFraction)
        var integerDigits = "0"
        var fractionDigits = ""
        if rounded != 0, rounded.isFinite {
            // Positional digits straight from the shortest decimal form: no exponent notation.
            let (digits, exponent) = NumberFormat.decimalDigits(rounded)
            let text = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
            if exponent <= 0 {
                fractionDigits = String(repeating: "0", count: -exponent) + text
            } else if exponent >= text.count {
                integerDigits = text + String(repeating: "0", count: exponent - text.count)
            } else {
                integerDigits = String(text.prefix(exponent))
                fractionDigits = String(text.dropFirst(exponent))
            }
        }
        if integerDigits == "0", part.minimumInteger == 0 { integerDigits = "" }
        if integerDigits.count < part.minimumInteger {
            integerDigits = String(repeating: "0", count: part.minimumInteger - integerDigits.count) + integerDigits
        }
        while fractionDigits.count < part.minimumFraction { fractionDigits += "0" }
        integerDigits = group(integerDigits, sizes: part.groupSizes)
        var out = part.prefix + integerDigits
        if !fractionDigits.isEmpty { out += "." + fractionDigits }
        out += part.suffix
        if value < 0, negative == nil { out = "-" + out }
        return out
    }

    /// Inserts grouping separators; one size (or sizes that are multiples of the first) repeats.
    private func group(_ digits: String, sizes: [Int]) -> String {
        guard let firstSize = sizes.first, firstSize > 0 else { return digits }
        let regular = sizes.enumerated().allSatisfy { $0.element == firstSize * ($0.offset + 1) }
        var out: [Character] = []
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 {
                if regular ? i % firstSize == 0 : sizes.contains(i) { out.append(",") }
            }
            out.append(c)
        }
        return String(out.reversed())
    }
}
