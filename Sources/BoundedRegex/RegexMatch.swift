/// Where a match is, in UTF-16 code units of the searched text (JavaScript's indexes), and
/// where each capturing group is: nil for a group that took no part.
public struct RegexMatch: Sendable, Equatable {
    public var range: Range<Int>
    /// Groups 1… in order.
    public var captures: [Range<Int>?]

    public init(range: Range<Int>, captures: [Range<Int>?]) {
        self.range = range
        self.captures = captures
    }
}
