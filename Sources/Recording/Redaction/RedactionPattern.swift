public import BoundedRegex

/// A configured regular expression and what replaces each of its matches. It runs as a
/// `BoundedRegex`, so a pattern that backtracks without end costs a bounded number of steps and
/// the text it was run on is replaced whole (the redactor fails closed, never open).
public struct RedactionPattern: Sendable {
    public let regex: BoundedRegex
    public let placeholder: String

    /// `source` is a JavaScript regular expression, bare or as `/…/flags` with `i` and `m`.
    public init(_ source: String, placeholder: String) throws(RedactionRuleError) {
        var pattern = source
        var options: BoundedRegex.Options = []
        if source.hasPrefix("/"), let close = source.lastIndex(of: "/"), close != source.startIndex {
            let flags = source[source.index(after: close)...]
            if flags.allSatisfy({ $0 == "i" || $0 == "m" }) {
                pattern = String(source[source.index(after: source.startIndex)..<close])
                if flags.contains("i") { options.insert(.ignoreCase) }
                if flags.contains("m") { options.insert(.multiline) }
            }
        }
        do { regex = try BoundedRegex(pattern, options: options) } catch {
            throw RedactionRuleError("redaction pattern \(source): \(error)")
        }
        self.placeholder = placeholder
    }

    /// `text` with every non-empty match replaced, or nil when nothing matched.
    func replacingMatches(in text: String, budget: inout RegexBudget) throws(RegexBudgetExceeded) -> String? {
        let units = Array(text.utf16)
        var output: [UInt16] = []
        var copied = 0
        var position = 0
        while position <= units.count, let match = try regex.firstMatch(in: units, from: position, budget: &budget) {
            if match.range.isEmpty {
                // An empty match replaces nothing; step past it, as String.replace does.
                position = match.range.upperBound + 1
                continue
            }
            output.append(contentsOf: units[copied..<match.range.lowerBound])
            output.append(contentsOf: placeholder.utf16)
            copied = match.range.upperBound
            position = match.range.upperBound
        }
        guard copied > 0 else { return nil }
        output.append(contentsOf: units[copied...])
        return String(decoding: output, as: UTF16.self)
    }
}
