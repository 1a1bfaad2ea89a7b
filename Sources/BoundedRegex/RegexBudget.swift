/// How many steps a matcher may still take. One budget can span many matches (every regex an
/// expression evaluation runs), so a loop of cheap matches is bounded as well as one costly
/// match.
///
/// A step is one instruction of the matcher, one backtrack, or one start position tried; an
/// ordinary pattern takes a handful per code unit of input. The standard bound,
/// `standardSteps` (2 million), lets such patterns scan a 100 KB input several times over
/// (every match of `/\w+@\w+\.com/` in 100 KB of text takes about 430,000 steps, of `/\s+/`
/// about 130,000, of `/(a|e|i|o|u)+/` about 660,000), while `/^(a+)+$/` against thirty `a`s and
/// a `!`, which needs about 2³⁰ steps, stops in a third of a second in a debug build (about 7
/// million steps a second) and in about 50 ms optimized (about 40 million a second). A match
/// holds its thread until it ends, so the bound is also how long a runaway pattern can keep
/// other work off that thread.
public struct RegexBudget: Sendable, Equatable {
    public static let standardSteps = 2_000_000
    /// The deepest the backtrack stack may grow (entries of 32 bytes at most): a pattern like
    /// `(a|b)*` keeps one entry per iteration, so this bounds the memory of one match.
    public static let maximumBacktrackDepth = 1_000_000

    public let limit: Int
    public private(set) var remaining: Int

    public init(steps: Int = standardSteps) {
        limit = steps
        remaining = steps
    }

    public var spent: Int { limit - remaining }

    /// What a matcher left of the steps it was handed.
    mutating func settle(remaining steps: Int) { remaining = Swift.max(0, Swift.min(steps, remaining)) }
}
