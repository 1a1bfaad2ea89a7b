import AWSWire
import Durable
public import JSONCore
import StatesEngine

/// What the local console reads of Step Functions: machines with their definitions, a page of
/// executions, and one execution whole (history, map runs). Times are epoch milliseconds, the
/// page's JavaScript draws them on one clock.
///
/// The store may hold 100,000 executions, and the console asks again every second while one
/// runs, so a page never writes more than its own rows: it walks the store's order from a
/// position (`before`) and stops one match past the limit.
extension StatesOperations {
    /// One page of executions, newest first.
    public struct ConsoleQuery: Sendable {
        public var status: String?
        public var machineArn: String?
        /// A map run's children; without it, map run children are left out (they are listed
        /// under their map run).
        public var mapRunArn: String?
        public var limit: Int
        /// The `nextToken` of the page before: a position in the store's order, or, once that
        /// is spent, minus a position in the database (executions stored before the last start).
        public var before: Int?

        public init(status: String? = nil, machineArn: String? = nil, mapRunArn: String? = nil, limit: Int = 50, before: Int? = nil) {
            self.status = status
            self.machineArn = machineArn
            self.mapRunArn = mapRunArn
            self.limit = limit
            self.before = before
        }
    }

    /// Every state machine, each with its account and region (from its ARN), oldest first.
    public func consoleMachines() -> JSONValue {
        .array(store.machines(prefix: "").map { machine in
            var o = Self.place(machine.arn)
            o["stateMachineArn"] = .string(machine.arn)
            o["name"] = .string(machine.name)
            o["type"] = .string(machine.type.rawValue)
            o["creationDate"] = JSONValue(Int(machine.creationMillis))
            o["stateCount"] = JSONValue(Self.stateCount(machine.definition.raw))
            return .object(o)
        })
    }

    /// One state machine with its definition as JSON, or nil when there is none by that ARN.
    public func consoleMachine(_ arn: String) -> JSONValue? {
        guard let machine = store.machine(Self.split(arn).base) else { return nil }
        var o = Self.place(machine.arn)
        o["stateMachineArn"] = .string(machine.arn)
        o["name"] = .string(machine.name)
        o["type"] = .string(machine.type.rawValue)
        o["creationDate"] = JSONValue(Int(machine.creationMillis))
        o["definition"] = .object(machine.definition.raw)
        return .object(o)
    }

    /// A page of executions and the token for the next, if any.
    public func consoleExecutions(_ query: ConsoleQuery) -> JSONValue {
        let (order, executions) = store.executionIndex()
        var rows: [JSONValue] = []
        var next: Int?
        if (query.before ?? 0) >= 0 {
            var position = min(query.before ?? order.count, order.count)
            while position > 0 {
                position -= 1
                guard let execution = executions[order[position]], matches(execution, query) else { continue }
                if rows.count == query.limit {
                    next = position + 1
                    break
                }
                rows.append(Self.row(execution))
            }
        }
        // Then those stored before the last start (STANDARD, no map run children), from the
        // database a page at a time.
        if next == nil, rows.count < query.limit, query.mapRunArn == nil {
            let before = (query.before ?? 0) < 0 ? -Int64(query.before ?? 0) : Int64.max
            let stored = store.storedPage(before: before, limit: query.limit - rows.count, machineArn: query.machineArn, status: query.status)
            rows += stored.rows.map(Self.row)
            next = stored.next.map { -Int($0) }
        }
        var o = JSONObject()
        o["executions"] = .array(rows)
        if let next { o["nextToken"] = .string(String(next)) }
        return .object(o)
    }

    func matches(_ execution: StatesStore.Execution, _ query: ConsoleQuery) -> Bool {
        if let run = query.mapRunArn {
            guard execution.mapRunArn == run else { return false }
        } else if execution.mapRunArn != nil {
            return false
        }
        if let machine = query.machineArn, execution.machineArn != machine { return false }
        if let status = query.status, execution.snapshot.status.rawValue != status { return false }
        return true
    }

    /// A stored execution's row, as `row(_:)` shows one in memory.
    static func row(_ stored: StateDatabase.ExecutionRow) -> JSONValue {
        var o = place(stored.key)
        o["executionArn"] = .string(stored.key)
        o["name"] = .string(stored.name)
        o["stateMachineArn"] = .string(stored.machineArn)
        o["stateMachineName"] = .string(String(stored.machineArn.split(separator: ":").last ?? ""))
        o["type"] = "STANDARD"
        o["status"] = .string(stored.status)
        o["startDate"] = JSONValue(Int(stored.startMillis))
        if let stop = stored.stopMillis { o["stopDate"] = JSONValue(Int(stop)) }
        return .object(o)
    }

    static func row(_ execution: StatesStore.Execution) -> JSONValue {
        let state = execution.snapshot
        var o = place(execution.arn)
        o["executionArn"] = .string(execution.arn)
        o["name"] = .string(execution.name)
        o["stateMachineArn"] = .string(execution.machineArn)
        o["stateMachineName"] = .string(execution.machineName)
        o["type"] = .string(execution.express ? "EXPRESS" : "STANDARD")
        o["status"] = .string(state.status.rawValue)
        o["startDate"] = JSONValue(Int(execution.startMillis))
        if let stop = state.stopMillis { o["stopDate"] = JSONValue(Int(stop)) }
        if let run = execution.mapRunArn { o["mapRunArn"] = .string(run) }
        if let error = state.error { o["error"] = .string(error) }
        return .object(o)
    }

    /// One execution: its row, input and output, definition, history (`maxEvents` at most,
    /// the first ones) and map runs; nil when there is none by that ARN.
    public func consoleExecution(_ arn: String, maxEvents: Int) -> JSONValue? {
        guard let execution = store.execution(arn) else { return nil }
        let state = execution.snapshot
        guard case .object(var o) = Self.row(execution) else { return nil }
        o["input"] = .string(execution.input)
        if let output = state.output { o["output"] = .string(output) }
        if let cause = state.cause { o["cause"] = .string(cause) }
        o["definition"] = .object(execution.definition.raw)
        if let runArn = execution.mapRunArn, let run = store.mapRun(runArn) {
            o["parentExecutionArn"] = .string(run.executionArn)
            o["mapRunLabel"] = .string(run.label)
        }
        let all = execution.history.all
        o["eventCount"] = JSONValue(all.count)
        o["events"] = .array(all.prefix(maxEvents).map { event in
            var e = JSONObject()
            e["id"] = JSONValue(event.id)
            e["previousEventId"] = JSONValue(event.previousEventId)
            e["timestamp"] = JSONValue(Int(event.timestampMillis))
            e["type"] = .string(event.type.rawValue)
            if let (key, value) = event.details { e[key] = value }
            return .object(e)
        })
        o["mapRuns"] = .array(store.mapRuns(of: execution.arn).map { run in
            let snapshot = run.snapshot
            var r = JSONObject()
            r["mapRunArn"] = .string(run.arn)
            r["label"] = .string(run.label)
            r["status"] = .string(snapshot.status.rawValue)
            r["startDate"] = JSONValue(Int(run.startMillis))
            if let stop = snapshot.stopMillis { r["stopDate"] = JSONValue(Int(stop)) }
            let c = snapshot.executions
            r["executionCounts"] = [
                "total": JSONValue(c.total), "pending": JSONValue(c.pending), "running": JSONValue(c.running), "succeeded": JSONValue(c.succeeded),
                "failed": JSONValue(c.failed), "timedOut": JSONValue(c.timedOut), "aborted": JSONValue(c.aborted),
            ]
            return .object(r)
        })
        return .object(o)
    }

    /// `account` and `region` of an ARN, for grouping.
    static func place(_ arn: String) -> JSONObject {
        guard let parsed = ARN(arn) else { return JSONObject() }
        return ["account": .string(parsed.account), "region": .string(parsed.region)]
    }

    /// States in a definition, those inside Parallel branches and Map processors included.
    static func stateCount(_ definition: JSONObject) -> Int {
        guard case .object(let states)? = definition["States"] else { return 0 }
        var count = 0
        for (_, state) in states {
            count += 1
            for branch in state["Branches"]?.arrayValue ?? [] {
                if case .object(let b) = branch { count += stateCount(b) }
            }
            for key in ["ItemProcessor", "Iterator"] {
                if case .object(let processor)? = state[key] { count += stateCount(processor) }
            }
        }
        return count
    }
}
