/// What `ShapeComparison` found for one answer: the differences, and notes on what it chose
/// not to compare and why (so a reader knows a "same shape" was not the whole story).
public struct ShapeReport: Sendable, Equatable {
    public var differences: [ShapeDifference]
    public var notes: [String]

    public init(differences: [ShapeDifference] = [], notes: [String] = []) {
        self.differences = differences
        self.notes = notes
    }
}
