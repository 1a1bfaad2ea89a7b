/// A parsed pattern, before compilation: the ECMAScript grammar's terms with Annex B's
/// web-compatibility reading already applied (a lone `{` or `]` is a literal, `\8` is `8`).
indirect enum RegexNode: Sendable {
    case empty
    /// One UTF-16 code unit: without the `u` flag JavaScript matches code units, so an astral
    /// character in a pattern is two of these.
    case codeUnit(UInt16)
    /// `.`: any code unit but a line terminator.
    case any
    case set(CodeUnitSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    /// `(…)` with its group number, or `(?:…)` with none.
    case group(RegexNode, number: Int?)
    /// A quantified atom. `groups` are the numbers of the capturing groups inside it, which
    /// each iteration clears (ECMA-262 RepeatMatcher, step 4).
    case repetition(RegexNode, min: Int, max: Int, greedy: Bool, groups: Range<Int>)
    case assertion(RegexAssertion)
    case backReference(Int)
    /// `\k<name>`, resolved to a number once every group is known.
    case namedBackReference(String)
    case look(RegexNode, behind: Bool, negated: Bool)

    /// One code unit matched by a test of that unit alone: such atoms repeat without a loop.
    var isSingleUnit: Bool {
        switch self {
        case .codeUnit, .any, .set: return true
        default: return false
        }
    }
}
