/// Whole-string wildcard matching, shared by model and operation globs (`*`, `?`, compiled
/// once into a `WildcardPattern`) and the ASL `StringMatches` rule (`*` only, with `\`
/// escapes), which builds its own tokens.
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
        WildcardPattern(pattern).matches(text)
    }

    public static func matches(tokens: [Token], _ text: String) -> Bool {
        matches(pattern: tokens, text: Array(text), isMany: { $0 == .many }, matchesOne: { $0 == .one || $0 == .literal($1) })
    }

    /// Greedy matching with one backtrack point (the last `*`): linear in practice.
    static func matches<P: RandomAccessCollection, T: RandomAccessCollection>(
        pattern p: P, text t: T, isMany: (P.Element) -> Bool, matchesOne: (P.Element, T.Element) -> Bool
    ) -> Bool where P.Index == Int, T.Index == Int {
        var pi = p.startIndex, ti = t.startIndex, star = -1, mark = 0
        while ti < t.endIndex {
            if pi < p.endIndex, !isMany(p[pi]), matchesOne(p[pi], t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.endIndex, isMany(p[pi]) {
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
        while pi < p.endIndex, isMany(p[pi]) { pi += 1 }
        return pi == p.endIndex
    }
}

/// A `*`/`?` glob compiled once and matched over UTF-8 bytes: rules test it on every call,
/// and ids and operation names are ASCII.
public struct WildcardPattern: Sendable {
    public let text: String
    private let bytes: [UInt8]
    private let isLiteral: Bool

    public init(_ pattern: String) {
        text = pattern
        bytes = Array(pattern.utf8)
        isLiteral = !bytes.contains(UInt8(ascii: "*")) && !bytes.contains(UInt8(ascii: "?"))
    }

    public func matches(_ candidate: String) -> Bool {
        var candidate = candidate
        return candidate.withUTF8 { t in
            if isLiteral { return t.elementsEqual(bytes) }
            return WildcardMatch.matches(
                pattern: bytes, text: t, isMany: { $0 == UInt8(ascii: "*") }, matchesOne: { $0 == UInt8(ascii: "?") || $0 == $1 })
        }
    }
}
