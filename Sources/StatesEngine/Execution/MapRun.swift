import Locking

/// A Distributed Map's run as DescribeMapRun shows it: settings UpdateMapRun can change while
/// it runs, and item and child-execution counts kept current as children start and end.
public final class MapRun: Sendable {
    public let arn: String
    /// The execution whose Map state started the run.
    public let executionArn: String
    /// The child executions' state machine: the parent's qualified by the Map's label.
    public let stateMachineArn: String
    public let stateMachineName: String
    public let label: String
    public let startMillis: Int64

    public struct Counts: Sendable, Equatable {
        public var pending = 0, running = 0, succeeded = 0, failed = 0, timedOut = 0, aborted = 0, total = 0, resultsWritten = 0
    }

    public struct Snapshot: Sendable {
        public var status = ExecutionStatus.running
        public var stopMillis: Int64?
        public var maxConcurrency: Int
        public var toleratedFailurePercentage: Double
        public var toleratedFailureCount: Int
        public var items = Counts()
        public var executions = Counts()
    }

    private let state: Locked<Snapshot>

    /// A run of `executions` children over `items` items (more items than children when batched),
    /// all pending.
    init(arn: String, parent: ExecutionInfo, label: String, startMillis: Int64, items: Int, executions: Int, maxConcurrency: Int, tolerance: FailureTolerance) {
        self.arn = arn
        executionArn = parent.arn
        stateMachineArn = "\(parent.stateMachineArn)/\(label)"
        stateMachineName = "\(parent.stateMachineName)/\(label)"
        self.label = label
        self.startMillis = startMillis
        var settings = Snapshot(
            maxConcurrency: maxConcurrency, toleratedFailurePercentage: tolerance.percentage ?? 0, toleratedFailureCount: tolerance.count ?? 0)
        settings.items.total = items
        settings.items.pending = items
        settings.executions.total = executions
        settings.executions.pending = executions
        state = Locked(settings)
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

    /// One child execution, over `items` items, moves from one count to another.
    func move(items: Int, from: WritableKeyPath<Counts, Int>, to: WritableKeyPath<Counts, Int>) {
        state.withLock { s in
            s.executions[keyPath: from] -= 1
            s.executions[keyPath: to] += 1
            s.items[keyPath: from] -= items
            s.items[keyPath: to] += items
        }
    }

    /// The run ends: children not yet started count as aborted when it is stopped, and what
    /// the ResultWriter wrote is counted when it succeeds.
    func end(_ status: ExecutionStatus, at millis: Int64, resultsWritten: Bool = false) {
        state.withLock { s in
            s.status = status
            s.stopMillis = millis
            if status == .aborted {
                s.executions.aborted += s.executions.pending
                s.items.aborted += s.items.pending
                s.executions.pending = 0
                s.items.pending = 0
            }
            if resultsWritten {
                s.executions.resultsWritten = s.executions.succeeded + s.executions.failed
                s.items.resultsWritten = s.items.succeeded + s.items.failed
            }
        }
    }

    /// Whether `failed` child executions exceed the tolerance: the larger of the count and the
    /// percentage of all children.
    func exceedsTolerance(failed: Int) -> Bool {
        state.withLock { s in
            failed > FailureTolerance.allowed(count: s.toleratedFailureCount, percentage: s.toleratedFailurePercentage, of: s.executions.total)
        }
    }
}

/// One child execution of a map run, handed to the registry when it starts.
public struct MapRunChild: Sendable {
    public let arn: String
    public let name: String
    public let input: String
    public let roleArn: String
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
    func childFinished(arn: String, status: ExecutionStatus, output: String?, error: String?, cause: String?, at millis: Int64)
}
