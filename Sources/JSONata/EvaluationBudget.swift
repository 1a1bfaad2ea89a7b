import BoundedRegex

/// What one evaluation of an expression may spend, so no expression holds a thread or the
/// process's memory however it is written: evaluation steps (every node the evaluator visits),
/// values built (strings, arrays and items, counted cumulatively in bytes), the length of any
/// one string, and the steps its regular expressions take. Checked with a counter and a
/// compare where the evaluator loops and where functions build large values.
///
/// The bounds are far above what the 434 recorded AWS executions and the interop suite need,
/// and low enough that a runaway expression fails within a few seconds even in a debug build:
/// - steps: 3,000,000, about two seconds of a debug build (1.3 million steps a second); `$map`
///   over AWS's longest `$range` (360,145 items) with a small lambda takes about 1.5 million.
/// - built values: 256 MB, counting each array item as a `Value` (24 bytes) and a string by
///   its UTF-8 bytes, summed over the evaluation as they are built: `[1..1e7]` (240 MB) fits,
///   a 9,000 × 9,000 cross join (81 million items) stops within a second.
/// - one string: 6,990,256 UTF-8 bytes, the longest string AWS's own evaluation builds.
/// - regular expressions: `RegexBudget.standardSteps` (2 million) for all of an evaluation's
///   matches together.
///
/// Exceeding one is a JSONata error (`U1001` for time, `D3150` for memory, as AWS reports its
/// own memory limit) whose message names the limit; Step Functions reports it as
/// `States.QueryEvaluationError`.
struct EvaluationBudget {
    static let maximumSteps = 3_000_000
    static let maximumAllocation = 256 << 20
    static let maximumStringLength = 6_990_256
    /// The bytes one array item is counted as.
    static let itemSize = MemoryLayout<Value>.stride

    private(set) var steps = 0
    private(set) var allocated = 0
    var regex = RegexBudget()

    /// One node visited, or `count` units of work a function does in a loop of its own.
    mutating func step(_ count: Int = 1) throws(JSONataError) {
        steps += count
        if steps > Self.maximumSteps {
            throw JSONataError("U1001", "Expression evaluation timeout: more than \(Self.maximumSteps) evaluation steps. Check for infinite loop")
        }
    }

    /// An array of `count` items built.
    mutating func built(items count: Int) throws(JSONataError) {
        try built(bytes: count.multipliedReportingOverflow(by: Self.itemSize).partialValue)
    }

    /// A string built: refused when longer than one string may be.
    mutating func built(string: String) throws(JSONataError) {
        try built(stringOfLength: string.utf8.count)
    }

    mutating func built(stringOfLength length: Int) throws(JSONataError) {
        if length > Self.maximumStringLength {
            throw JSONataError("D3150", "Expression evaluation memory limit exceeded: a string longer than \(Self.maximumStringLength) bytes")
        }
        try built(bytes: length)
    }

    private mutating func built(bytes: Int) throws(JSONataError) {
        let (total, overflow) = allocated.addingReportingOverflow(bytes)
        allocated = overflow ? Int.max : total
        if allocated > Self.maximumAllocation {
            throw JSONataError("D3150", "Expression evaluation memory limit exceeded: more than \(Self.maximumAllocation >> 20) MB of values built")
        }
    }

    /// The error a regular expression that ran out of steps becomes.
    static func regexExhausted(_ pattern: Pattern, _ error: RegexBudgetExceeded) -> JSONataError {
        JSONataError("U1001", "Expression evaluation timeout: the regular expression /\(pattern.source)/ ran out of its budget (\(error))")
    }
}
