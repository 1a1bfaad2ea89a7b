/// A JavaScript regular expression that always finishes: compiled once, then matched by a
/// backtracking machine that spends a `RegexBudget` and stops with `RegexBudgetExceeded` when
/// it runs out, however catastrophic the pattern.
///
/// The syntax and the answers are JavaScript's without the `u` flag (what JSONata's `/…/`
/// literals get from `new RegExp`): literals and escapes, `.`, classes with ranges and
/// `\d \w \s \D \W \S`, `^ $ \b \B`, capturing, non-capturing and named groups, alternation,
/// greedy and lazy `* + ? {n} {n,} {n,m}`, back-references (`\1`, `\k<name>`), lookahead and
/// lookbehind, and the flags `i` and `m`. Text is matched as UTF-16 code units, so positions
/// are JavaScript's string indexes.
public struct BoundedRegex: Sendable {
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// `i`: letters match either case.
        public static let ignoreCase = Options(rawValue: 1)
        /// `m`: `^` and `$` also match at line terminators.
        public static let multiline = Options(rawValue: 2)
    }

    public let source: String
    public let options: Options
    let program: RegexProgram
    /// The names of groups 1…, nil for unnamed ones.
    public let groupNames: [String?]

    public init(_ source: String, options: Options = []) throws(RegexSyntaxError) {
        let parsed = try RegexParser.parse(source)
        self.source = source
        self.options = options
        groupNames = parsed.groupNames
        program = RegexCompiler.compile(parsed, ignoreCase: options.contains(.ignoreCase), multiline: options.contains(.multiline))
    }

    /// The number of capturing groups.
    public var groupCount: Int { program.groupCount }

    /// The first match in `text` starting at or after `start`, as `RegExp.prototype.exec`
    /// finds it with `lastIndex` at `start`.
    public func firstMatch(in text: [UInt16], from start: Int = 0, budget: inout RegexBudget) throws(RegexBudgetExceeded) -> RegexMatch? {
        guard start <= text.count else { return nil }
        var matcher = RegexMatcher(program: program, text: text, budget: budget)
        defer { budget.settle(remaining: matcher.remainingSteps) }
        // A pattern anchored at the start is tried there only.
        let last = program.anchoredAtStart ? Swift.min(start, 0) : text.count
        var position = start
        while true {
            if !program.anchoredAtStart { position = try matcher.candidate(from: position) }
            guard position <= last else { return nil }
            if let end = try matcher.match(at: position) {
                let captures = (0..<program.groupCount).map { i -> Range<Int>? in
                    let from = matcher.captures[2 * i + 2]
                    let to = matcher.captures[2 * i + 3]
                    return from >= 0 && to >= from ? from..<to : nil
                }
                return RegexMatch(range: position..<end, captures: captures)
            }
            position += 1
        }
    }

    /// Whether `string` has a match anywhere.
    public func matches(_ string: String, budget: inout RegexBudget) throws(RegexBudgetExceeded) -> Bool {
        try firstMatch(in: Array(string.utf16), budget: &budget) != nil
    }
}
