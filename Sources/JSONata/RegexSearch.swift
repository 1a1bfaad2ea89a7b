import BoundedRegex

/// One string searched by a JSONata regex, match after match, as jsonata-js's matcher closure
/// walks it (`evaluateRegex` in jsonata.js): the first search starts at 0, each later one where
/// the last match ended, and a later match that is empty fails with D1004 ("matches zero
/// length string") since searching again from there would never progress. `$match`,
/// `$replace` and `$split` take matches from here, so an empty-matching pattern cannot make
/// them loop or allocate without end. Positions are UTF-16 code units, as in JavaScript.
struct RegexSearch {
    let pattern: Pattern
    let text: [UInt16]
    private var lastIndex = 0
    private var started = false

    init(_ pattern: Pattern, in string: String) {
        self.pattern = pattern
        text = Array(string.utf16)
    }

    /// The next match, or nil when there is none (jsonata's `next()` answering undefined).
    mutating func next(_ budget: inout EvaluationBudget) throws(JSONataError) -> RegexMatch? {
        let later = started
        if later, lastIndex >= text.count { return nil }
        started = true
        let found: RegexMatch?
        do { found = try pattern.regex.firstMatch(in: text, from: later ? lastIndex : 0, budget: &budget.regex) } catch {
            throw EvaluationBudget.regexExhausted(pattern, error)
        }
        guard let found else { return nil }
        if later, found.range.isEmpty { throw JSONataError("D1004", "Regular expression matches zero length string") }
        lastIndex = found.range.upperBound
        return found
    }

    func string(_ range: Range<Int>) -> String { String(decoding: text[range], as: UTF16.self) }

    /// The groups of a match as JSONata lists them: a group that took no part is "".
    func groups(_ match: RegexMatch) -> [String] { match.captures.map { $0.map(string) ?? "" } }

    /// `{match, index, groups}`, the object `$match` answers with and a replacement function
    /// receives.
    func object(_ match: RegexMatch) -> Value {
        var object = ValueObject()
        object["match"] = .string(string(match.range))
        object["index"] = .number(Double(match.range.lowerBound))
        object["groups"] = .array(ValueArray(groups(match).map { .string($0) }))
        return .object(object)
    }
}
