import Synchronization

/// A Distributed Map's run as DescribeMapRun shows it: settings UpdateMapRun can change while
/// it runs, and item and child-execution counts kept current as children start and end.
public final class MapRun: Sendable {
    public let arn: String
    /// The execution whose Map state started the run.
    public let executionArn: String
    /// The child executions' state machine: the parent's ARN qualified by the Map's label.
    public let stateMachineArn: String
    public let label: String
    public let startMillis: Int64

    public struct Counts: Sendable, Equatable {
        public var pending = 0, running = 0, succeeded = 0, failed = 0, timedOut = 0, aborted = 0, total = 0, resultsWritten = 0
    }

    public struct Snapshot: Sendable {
        public var status = "RUNNING"
        public var stopMillis: Int64?
        public var maxConcurrency: Int
        public var toleratedFailurePercentage: Double
        public var toleratedFailureCount: Int
        public var items = Counts()
        public var executions = Counts()
    }

    private let state: Mutex<Snapshot>

    init(arn: String, executionArn: String, stateMachineArn: String, label: String, startMillis: Int64, settings: Snapshot) {
        self.arn = arn
        self.executionArn = executionArn
        self.stateMachineArn = stateMachineArn
        self.label = label
        self.startMillis = startMillis
        state = Mutex(settings)
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// UpdateMapRun: nil leaves a setting as it is. A running map run applies the new
    /// tolerance at its next failure.
    public func update(maxConcurrency: Int?, toleratedFailurePercentage: Double?, toleratedFailureCount: Int?) {
        state.withLock { s in
            if let maxConcurrency { s.maxConcurrency = maxConcurrency }
            if let toleratedFailurePercentage { s.toleratedFailurePercentage = toleratedFailurePercentage }
            if let toleratedFailureCount { s.toleratedFailureCount = toleratedFailureCount }
        }
    }

    func change(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    /// Whether `failed` child executions exceed the tolerance: the larger of the count and the
    /// percentage of all children.
    func exceedsTolerance(failed: Int) -> Bool {
        state.withLock { s in
            let byPercentage = Int((s.toleratedFailurePercentage / 100 * Double(s.executions.total)).rounded(.down))
            return failed > max(s.toleratedFailureCount, byPercentage)
        }
    }
}

/// One child execution of a map run, handed to the registry when it starts.
public struct MapRunChild: Sendable {
    public let arn: String
    public let name: String
    public let input: String
    public let startMillis: Int64
    public let history: ExecutionHistory
    /// The Map's item processor, which the child runs.
    public let definition: StateMachineDefinition
}

/// Where map runs and their child executions become visible to the API (DescribeMapRun,
/// ListMapRuns, DescribeExecution of a child, ListExecutions by map run).
public protocol MapRunRegistry: Sendable {
    func mapRunStarted(_ run: MapRun)
    func childStarted(_ child: MapRunChild, of run: MapRun)
    func childFinished(arn: String, status: String, output: String?, error: String?, cause: String?, at millis: Int64)
}
