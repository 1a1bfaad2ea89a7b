/// A Map state's ToleratedFailureCount and ToleratedFailurePercentage.
struct FailureTolerance {
    var count: Int?
    var percentage: Double?

    /// Failures allowed among `total` iterations or child executions; nil when neither field
    /// is set, so the first failure fails the Map.
    func allowed(of total: Int) -> Int? {
        guard count != nil || percentage != nil else { return nil }
        return Self.allowed(count: count ?? 0, percentage: percentage ?? 0, of: total)
    }

    /// The larger of the count and the percentage of `total`.
    static func allowed(count: Int, percentage: Double, of total: Int) -> Int {
        max(count, Int((percentage / 100 * Double(total)).rounded(.down)))
    }
}
