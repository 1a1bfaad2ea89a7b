/// A match stopped because it would take more than its budget: the pattern backtracks
/// catastrophically on this input (or the input is far larger than regexes are meant for).
public struct RegexBudgetExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Limit: Sendable, Equatable {
        /// The budget's steps ran out.
        case steps
        /// The backtrack stack grew past `RegexBudget.maximumBacktrackDepth`.
        case backtrackDepth
    }

    public var exhausted: Limit
    public var limit: Int

    public init(_ exhausted: Limit, limit: Int) {
        self.exhausted = exhausted
        self.limit = limit
    }

    public var description: String {
        switch exhausted {
        case .steps: return "the regular expression needed more than \(limit) steps to match"
        case .backtrackDepth: return "the regular expression needed more than \(limit) backtrack entries to match"
        }
    }
}
