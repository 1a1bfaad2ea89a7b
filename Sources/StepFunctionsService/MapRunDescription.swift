import StatesEngine

/// A map run as DescribeMapRun, ListMapRuns and UpdateMapRun see it: one running in this
/// process (`MapRun`), or one read back from the database (`StoredMapRun`).
protocol MapRunDescription: AnyObject, Sendable {
    var arn: String { get }
    var executionArn: String { get }
    var stateMachineArn: String { get }
    /// The Map state's label (its name when it has none).
    var label: String { get }
    var startMillis: Int64 { get }
    var snapshot: MapRun.Snapshot { get }
    func update(maxConcurrency: Int?, toleratedFailurePercentage: Double?, toleratedFailureCount: Int?)
}

extension MapRun: MapRunDescription {}
