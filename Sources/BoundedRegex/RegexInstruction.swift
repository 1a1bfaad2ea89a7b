/// One instruction of a compiled pattern. A program is a flat array of these; jumps are
/// indexes into it. Repetition keeps counters (`loop…`) rather than copying its atom, so
/// `a{1000}` is as small as `a*`, and an atom of one code unit repeats in one instruction
/// (`repeatSingle`) that leaves a single backtrack entry however far it runs.
enum RegexInstruction: Sendable, Equatable {
    case codeUnit(UInt16)
    /// A code unit compared after case folding (the operand is already folded).
    case foldedCodeUnit(UInt16)
    case any
    /// A class, by its index in the program's sets.
    case set(Int)
    case assert(RegexAssertion)
    /// Try `prefer`; on failure, `otherwise`.
    case split(prefer: Int, otherwise: Int)
    case jump(Int)
    /// Records the position in a capture slot (group n starts at 2n, ends at 2n + 1).
    case save(slot: Int)
    /// Forgets the captures of groups `groups` (each iteration of a quantified atom does).
    case clearCaptures(groups: Range<Int>)
    case backReference(group: Int)
    case repeatSingle(SingleRepeat)
    /// Starts a quantified atom: its counter goes to zero.
    case loopEnter(loop: Int)
    /// Decides whether to run the atom again or go on to `exit`.
    case loopTest(loop: Int, min: Int, max: Int, greedy: Bool, exit: Int)
    /// The top of an iteration: remembers where it started.
    case loopIterate(loop: Int)
    /// The end of an iteration: refuses one that matched nothing once `min` is met (ECMA-262
    /// RepeatMatcher), counts it, and goes back to `test`.
    case loopEnd(loop: Int, min: Int, test: Int)
    /// A lookaround whose body follows, ending in `lookSucceed`; matching resumes at `end`.
    /// A lookbehind's body matches between `widths.lowerBound` and `widths.upperBound` code
    /// units (`Int.max`: no bound), which limits the starts it tries.
    case look(behind: Bool, negated: Bool, end: Int, widths: ClosedRange<Int>)
    case lookSucceed
    case succeed
}
