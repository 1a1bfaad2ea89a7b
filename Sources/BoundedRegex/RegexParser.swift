/// Reads a JavaScript regular expression (ECMA-262 §22.2.1 with the web-compatibility grammar
/// of Annex B.1.2, which every browser and Node.js use without the `u` flag) into a
/// `RegexNode` tree. The pattern is read as UTF-16 code units, as JavaScript reads it.
struct RegexParser {
    let units: [UInt16]
    var index = 0
    /// Capturing groups in the whole pattern: `\N` is a back-reference only when N is at most
    /// this, else (Annex B) an octal or identity escape.
    let totalGroups: Int
    /// With a named group anywhere, `\k` must start a named back-reference.
    let hasNamedGroups: Bool
    var groupCount = 0
    var groupNames: [String?] = []
    private var depth = 0

    /// Deeper nesting of groups than this is refused rather than risking the parser's stack.
    static let maximumDepth = 100

    struct Parsed {
        var root: RegexNode
        var groupCount: Int
        var groupNames: [String?]
    }

    static func parse(_ source: String) throws(RegexSyntaxError) -> Parsed {
        let units = Array(source.utf16)
        let (total, named) = Self.countGroups(units)
        var parser = RegexParser(units: units, totalGroups: total, hasNamedGroups: named)
        var root = try parser.disjunction()
        if parser.index < units.count {
            // Only a `)` stops a top-level disjunction early.
            throw RegexSyntaxError("Unmatched ')'", offset: parser.index)
        }
        root = try parser.resolvingNames(root)
        return Parsed(root: root, groupCount: parser.groupCount, groupNames: parser.groupNames)
    }

    // MARK: structure

    mutating func disjunction() throws(RegexSyntaxError) -> RegexNode {
        var alternatives = [try alternative()]
        while peek == PatternCharacter.bar {
            index += 1
            alternatives.append(try alternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    mutating func alternative() throws(RegexSyntaxError) -> RegexNode {
        var terms: [RegexNode] = []
        while let unit = peek, unit != PatternCharacter.bar, unit != PatternCharacter.closeParen {
            terms.append(try term())
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .sequence(terms)
        }
    }

    mutating func term() throws(RegexSyntaxError) -> RegexNode {
        let start = index
        let unit = units[index]
        switch unit {
        case PatternCharacter.caret:
            index += 1
            return try unquantifiable(.assertion(.start), at: start)
        case PatternCharacter.dollar:
            index += 1
            return try unquantifiable(.assertion(.end), at: start)
        case PatternCharacter.backslash where peek(at: index + 1) == PatternCharacter.b:
            index += 2
            return try unquantifiable(.assertion(.wordBoundary), at: start)
        case PatternCharacter.backslash where peek(at: index + 1) == PatternCharacter.capitalB:
            index += 2
            return try unquantifiable(.assertion(.notWordBoundary), at: start)
        default: break
        }
        let groupsBefore = groupCount
        let (atom, quantifiable) = try self.atom()
        guard let (min, max) = try quantifier() else { return atom }
        guard quantifiable else { throw RegexSyntaxError("Nothing to repeat", offset: start) }
        var greedy = true
        if peek == PatternCharacter.question {
            index += 1
            greedy = false
        }
        return .repetition(atom, min: min, max: max, greedy: greedy, groups: (groupsBefore + 1)..<(groupCount + 1))
    }

    /// An assertion that no quantifier may follow.
    private mutating func unquantifiable(_ node: RegexNode, at start: Int) throws(RegexSyntaxError) -> RegexNode {
        let saved = index
        if try quantifier() != nil { throw RegexSyntaxError("Nothing to repeat", offset: start) }
        index = saved
        return node
    }

    /// An atom, and whether a quantifier may follow it (a lookbehind may not).
    mutating func atom() throws(RegexSyntaxError) -> (RegexNode, Bool) {
        let start = index
        let unit = units[index]
        switch unit {
        case PatternCharacter.dot:
            index += 1
            return (.any, true)
        case PatternCharacter.openParen:
            return try group()
        case PatternCharacter.openBracket:
            index += 1
            return (.set(try characterClass()), true)
        case PatternCharacter.backslash:
            return (try atomEscape(), true)
        case PatternCharacter.star, PatternCharacter.plus, PatternCharacter.question:
            throw RegexSyntaxError("Nothing to repeat", offset: start)
        case PatternCharacter.openBrace:
            if try quantifier() != nil { throw RegexSyntaxError("Nothing to repeat", offset: start) }
            index = start + 1
            return (.codeUnit(unit), true)
        default:
            index += 1
            return (.codeUnit(unit), true)
        }
    }

    mutating func group() throws(RegexSyntaxError) -> (RegexNode, Bool) {
        let start = index
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw RegexSyntaxError("Regular expression too deeply nested", offset: start) }
        index += 1
        var number: Int? = nil
        var look: (behind: Bool, negated: Bool)? = nil
        if peek == PatternCharacter.question {
            switch peek(at: index + 1) {
            case PatternCharacter.colon: index += 2
            case PatternCharacter.equals: look = (false, false); index += 2
            case PatternCharacter.bang: look = (false, true); index += 2
            case PatternCharacter.less where peek(at: index + 2) == PatternCharacter.equals: look = (true, false); index += 3
            case PatternCharacter.less where peek(at: index + 2) == PatternCharacter.bang: look = (true, true); index += 3
            case PatternCharacter.less:
                index += 2
                let name = try groupName()
                if groupNames.contains(name) { throw RegexSyntaxError("Duplicate capture group name", offset: start) }
                groupCount += 1
                number = groupCount
                groupNames.append(name)
            default:
                throw RegexSyntaxError("Invalid group", offset: start)
            }
        } else {
            groupCount += 1
            number = groupCount
            groupNames.append(nil)
        }
        let body = try disjunction()
        guard peek == PatternCharacter.closeParen else { throw RegexSyntaxError("Unterminated group", offset: start) }
        index += 1
        if let look {
            // Annex B lets a lookahead take a quantifier; a lookbehind never does.
            return (.look(body, behind: look.behind, negated: look.negated), !look.behind)
        }
        return (.group(body, number: number), true)
    }

    /// `name>` after `(?<` or `\k<`: identifier characters (ASCII letters, digits after the
    /// first, `$`, `_`, and anything beyond ASCII).
    mutating func groupName() throws(RegexSyntaxError) -> String {
        let start = index
        var name: [UInt16] = []
        while let unit = peek, unit != PatternCharacter.greater {
            let isLetter = (unit >= 0x41 && unit <= 0x5A) || (unit >= 0x61 && unit <= 0x7A) || unit == PatternCharacter.dollar || unit == 0x5F || unit >= 0x80
            let isDigit = unit >= 0x30 && unit <= 0x39
            guard isLetter || (isDigit && !name.isEmpty) else { throw RegexSyntaxError("Invalid capture group name", offset: start) }
            name.append(unit)
            index += 1
        }
        guard peek == PatternCharacter.greater, !name.isEmpty else { throw RegexSyntaxError("Invalid capture group name", offset: start) }
        index += 1
        return String(decoding: name, as: UTF16.self)
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}` or `{n,m}` at the current position, consumed; nil (and
    /// nothing consumed) when there is none, as a `{` that does not close one is a literal.
    mutating func quantifier() throws(RegexSyntaxError) -> (Int, Int)? {
        guard let unit = peek else { return nil }
        switch unit {
        case PatternCharacter.star: index += 1; return (0, Int.max)
        case PatternCharacter.plus: index += 1; return (1, Int.max)
        case PatternCharacter.question: index += 1; return (0, 1)
        case PatternCharacter.openBrace: break
        default: return nil
        }
        let start = index
        index += 1
        guard let min = decimal() else { index = start; return nil }
        var max = min
        if peek == PatternCharacter.comma {
            index += 1
            max = decimal() ?? Int.max
        }
        guard peek == PatternCharacter.closeBrace else { index = start; return nil }
        index += 1
        guard min <= max else { throw RegexSyntaxError("numbers out of order in {} quantifier", offset: start) }
        return (min, max)
    }

    /// Decimal digits, saturating (JavaScript allows any count up to 2⁵³).
    mutating func decimal() -> Int? {
        var value: Int? = nil
        while let unit = peek, unit >= 0x30, unit <= 0x39 {
            let (product, overflowA) = (value ?? 0).multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = product.addingReportingOverflow(Int(unit - 0x30))
            value = overflowA || overflowB ? Int.max : sum
            index += 1
        }
        return value
    }

    // MARK: helpers

    var peek: UInt16? { index < units.count ? units[index] : nil }

    func peek(at position: Int) -> UInt16? { position < units.count ? units[position] : nil }

    /// Counts the capturing groups (and notes named ones) before parsing, skipping escapes
    /// and classes, so a back-reference can refer to a group that comes after it.
    static func countGroups(_ units: [UInt16]) -> (Int, Bool) {
        var count = 0
        var named = false
        var i = 0
        var inClass = false
        while i < units.count {
            let unit = units[i]
            if unit == PatternCharacter.backslash {
                i += 2
                continue
            }
            if inClass {
                if unit == PatternCharacter.closeBracket { inClass = false }
            } else if unit == PatternCharacter.openBracket {
                inClass = true
            } else if unit == PatternCharacter.openParen {
                if i + 1 < units.count, units[i + 1] == PatternCharacter.question {
                    if i + 3 < units.count, units[i + 2] == PatternCharacter.less, units[i + 3] != PatternCharacter.equals, units[i + 3] != PatternCharacter.bang {
                        count += 1
                        named = true
                    }
                } else {
                    count += 1
                }
            }
            i += 1
        }
        return (count, named)
    }

    /// Replaces `\k<name>` with the number of the group of that name.
    func resolvingNames(_ node: RegexNode) throws(RegexSyntaxError) -> RegexNode {
        switch node {
        case .namedBackReference(let name):
            guard let i = groupNames.firstIndex(of: name) else { throw RegexSyntaxError("Invalid named capture referenced", offset: 0) }
            return .backReference(i + 1)
        case .sequence(let items):
            var out: [RegexNode] = []
            for item in items { out.append(try resolvingNames(item)) }
            return .sequence(out)
        case .alternation(let items):
            var out: [RegexNode] = []
            for item in items { out.append(try resolvingNames(item)) }
            return .alternation(out)
        case .group(let body, let number): return .group(try resolvingNames(body), number: number)
        case .repetition(let body, let min, let max, let greedy, let groups):
            return .repetition(try resolvingNames(body), min: min, max: max, greedy: greedy, groups: groups)
        case .look(let body, let behind, let negated): return .look(try resolvingNames(body), behind: behind, negated: negated)
        default: return node
        }
    }
}
