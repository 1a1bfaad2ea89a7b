/// Whole-string wildcard matching, shared by model globs (`*`, `?`) and the ASL
/// `StringMatches` rule (`*` only, with `\` escapes), which build their own tokens.
public enum WildcardMatch {
    public enum Token: Equatable, Sendable {
        case literal(Character)
        /// `?`: exactly one character.
        case one
        /// `*`: any run of characters, the empty one included.
        case many
    }

    /// `*` and `?` wildcards over the whole string.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(tokens: pattern.map { $0 == "*" ? .many : $0 == "?" ? .one : .literal($0) }, text)
    }

    /// Greedy matching with one backtrack point (the last `*`): linear in practice.
    public static func matches(tokens p: [Token], _ text: String) -> Bool {
        let t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == .one || p[pi] == .literal(t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == .many {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == .many { pi += 1 }
        return pi == p.count
    }
}
