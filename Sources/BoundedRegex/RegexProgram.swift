/// A compiled pattern: instructions, the classes they name, and the counts the matcher sizes
/// its registers by. Immutable, so one program serves any number of matches at once.
struct RegexProgram: Sendable {
    var instructions: [RegexInstruction]
    var sets: [CodeUnitSet]
    var groupCount: Int
    var loopCount: Int
    var ignoreCase: Bool
    var multiline: Bool
    /// The pattern can only match at position 0 (it starts with `^` and has no `m` flag).
    var anchoredAtStart: Bool
    /// Every match starts with one of these code units (tested as classes are, with the `i`
    /// flag's folding): a search skips other positions at one step each. Nil when the pattern
    /// can match empty text or start with nearly anything.
    var firstUnits: CodeUnitSet?
}
