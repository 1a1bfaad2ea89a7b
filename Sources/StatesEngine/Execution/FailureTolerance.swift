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

    /// The larger of the count and the percentage of `total`. The share saturates rather than
    /// trap on a percentage no check bounded (a NaN one allows no more than the count).
    static func allowed(count: Int, percentage: Double, of total: Int) -> Int {
        let share = (percentage / 100 * Double(total)).rounded(.down)
        guard !share.isNaN, share > 0 else { return count }
        return max(count, share >= Double(Int.max) ? Int.max : Int(share))
    }
}
