import JSONCore
import Locking
import StatesEngine

/// A Distributed Map run read back from the database: what DescribeMapRun and ListMapRuns
/// answered for it when it was last written (when it started, when UpdateMapRun changed it,
/// and when its execution ended). Its child executions are not kept.
final class StoredMapRun: MapRunDescription {
    let arn: String
    let executionArn: String
    let stateMachineArn: String
    let label: String
    let startMillis: Int64
    private let state: Locked<MapRun.Snapshot>

    var snapshot: MapRun.Snapshot { state.withLock { $0 } }

    init?(document: String) {
        guard let o = try? JSONParser.parse(document), let arn = o["arn"]?.stringValue, let executionArn = o["executionArn"]?.stringValue,
            let stateMachineArn = o["stateMachineArn"]?.stringValue, let snapshot = o["snapshot"].flatMap(MapRun.Snapshot.init(record:))
        else { return nil }
        self.arn = arn
        self.executionArn = executionArn
        self.stateMachineArn = stateMachineArn
        label = o["label"]?.stringValue ?? ""
        startMillis = Int64(o["start"]?.intValue ?? 0)
        state = Locked(snapshot)
    }

    /// The record `init(document:)` reads back.
    static func document(_ run: any MapRunDescription) -> String {
        let o: JSONObject = [
            "arn": .string(run.arn), "executionArn": .string(run.executionArn), "stateMachineArn": .string(run.stateMachineArn), "label": .string(run.label),
            "start": JSONValue(Int(run.startMillis)), "snapshot": run.snapshot.record,
        ]
        return JSONValue.object(o).jsonString
    }

    func update(maxConcurrency: Int?, toleratedFailurePercentage: Double?, toleratedFailureCount: Int?) {
        state.withLock { s in
            if let maxConcurrency { s.maxConcurrency = maxConcurrency }
            if let toleratedFailurePercentage { s.toleratedFailurePercentage = toleratedFailurePercentage }
            if let toleratedFailureCount { s.toleratedFailureCount = toleratedFailureCount }
        }
    }

    /// The run's execution was running when the server stopped and has ended: the run ends
    /// with it, its unfinished children counted as aborted.
    func abort(at millis: Int64) {
        state.withLock { s in
            guard s.status == .running else { return }
            s.status = .aborted
            s.stopMillis = millis
            for counts in [\MapRun.Snapshot.items, \.executions] {
                s[keyPath: counts].aborted += s[keyPath: counts].pending + s[keyPath: counts].running
                s[keyPath: counts].pending = 0
                s[keyPath: counts].running = 0
            }
        }
    }
}
