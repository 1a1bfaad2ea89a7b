import AWSWire
import Durable
import JSONCore
import ServiceKit
import StatesEngine

/// One execution as Step Functions' operations and the admin view write it, from one snapshot
/// of its state. Each operation keeps AWS's own member order (StartSyncExecution puts the dates
/// before the status, DescribeExecution after it), so each has its shape here, built from the
/// same pieces.
struct ExecutionDocument {
    let execution: StatesStore.Execution
    let state: (status: ExecutionStatus, output: String?, error: String?, cause: String?, stopMillis: Int64?)
    /// The API's epoch-seconds numbers, or the admin view's ISO 8601 text.
    let timestamp: (Int64) -> JSONValue

    init(_ execution: StatesStore.Execution, timestamp: @escaping (Int64) -> JSONValue) {
        self.execution = execution
        state = execution.snapshot
        self.timestamp = timestamp
    }

    /// `executionArn`, `stateMachineArn`, `name`: how every shape opens.
    func identity() -> JSONObject {
        var o = JSONObject()
        o["executionArn"] = .string(execution.arn)
        o["stateMachineArn"] = .string(execution.machineArn)
        o["name"] = .string(execution.name)
        return o
    }

    func putStatusAndDates(_ o: inout JSONObject) {
        o["status"] = .string(state.status.rawValue)
        o["startDate"] = timestamp(execution.startMillis)
        if let stop = state.stopMillis { o["stopDate"] = timestamp(stop) }
    }

    func putFailure(_ o: inout JSONObject) {
        if let error = state.error { o["error"] = .string(error) }
        if let cause = state.cause { o["cause"] = .string(cause) }
    }

    /// Input and output as the API carries them: JSON text, with `…Details`.
    func putInputAndOutput(_ o: inout JSONObject) {
        o["input"] = .string(execution.input)
        o["inputDetails"] = ["included": true]
        if let output = state.output {
            o["output"] = .string(output)
            o["outputDetails"] = ["included": true]
        }
    }

    /// ListExecutions' item, from an execution's listing columns: no execution is read for it.
    static func listItem(_ row: StateDatabase.ExecutionRow, timestamp: (Int64) -> JSONValue) -> JSONValue {
        var o: JSONObject = ["executionArn": .string(row.key), "stateMachineArn": .string(row.machineArn), "name": .string(row.name)]
        o["status"] = .string(row.status)
        o["startDate"] = timestamp(row.startMillis)
        if let stop = row.stopMillis { o["stopDate"] = timestamp(stop) }
        return .object(o)
    }

    /// StartSyncExecution's answer; an express execution is billed in 100 ms steps of 64 MB.
    func startSyncAnswer(nowMillis: Int64) -> JSONValue {
        var o = identity()
        o["startDate"] = timestamp(execution.startMillis)
        o["stopDate"] = timestamp(state.stopMillis ?? nowMillis)
        o["status"] = .string(state.status.rawValue)
        putFailure(&o)
        putInputAndOutput(&o)
        let billed = max(100, Int(((state.stopMillis ?? execution.startMillis) - execution.startMillis + 99) / 100 * 100))
        o["billingDetails"] = ["billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": JSONValue(billed)]
        return .object(o)
    }

    /// DescribeExecution's answer.
    var description: JSONValue {
        var o = identity()
        putStatusAndDates(&o)
        putInputAndOutput(&o)
        if let mapRunArn = execution.mapRunArn { o["mapRunArn"] = .string(mapRunArn) }
        putFailure(&o)
        if let version = execution.versionArn { o["stateMachineVersionArn"] = .string(version) }
        if let alias = execution.aliasArn { o["stateMachineAliasArn"] = .string(alias) }
        let redrive = execution.redriveInfo
        o["redriveCount"] = JSONValue(redrive.count)
        if let last = redrive.lastMillis { o["redriveDate"] = timestamp(last) }
        let redrivable = !execution.express && state.status.endsRedrivably && redrive.resume != nil
        o["redriveStatus"] = redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE"
        if !redrivable, state.status != .running { o["redriveStatusReason"] = .string("Execution is \(state.status.rawValue) and cannot be redriven") }
        return .object(o)
    }

    /// The admin view: what AWS cannot show for express runs (input and output as JSON, the
    /// states visited) beside the type.
    var adminView: JSONValue {
        var o = identity()
        o["type"] = .string((execution.express ? StateMachineType.express : .standard).rawValue)
        putStatusAndDates(&o)
        o["input"] = (try? JSONParser.parse(execution.input)) ?? .string(execution.input)
        if let output = state.output { o["output"] = (try? JSONParser.parse(output)) ?? .string(output) }
        putFailure(&o)
        o["statesVisited"] = .array(execution.history.all.filter { $0.type.isStateEntered }.compactMap(\.stateName))
        return .object(o)
    }
}
