import AWSWire
import JSONCore
import ServiceKit
import StatesEngine

/// Map runs: DescribeMapRun, ListMapRuns and UpdateMapRun over the runs Distributed Map
/// states register as they start.
extension StatesOperations {
    var mapRunOperations: [String: StatesFrontEnd.Handler] {
        [
            "DescribeMapRun": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try describeMapRun(input, request) },
            "ListMapRuns": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try listMapRuns(input, request) },
            "UpdateMapRun": { [self] (input: JSONObject, request: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try updateMapRun(input, request) },
        ]
    }

    func mapRun(_ arn: String) throws(AWSServiceError) -> any MapRunDescription {
        guard let parsed = ARN(arn), parsed.service == "states", parsed.resource.hasPrefix("mapRun:") else {
            throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'")
        }
        guard let run = store.mapRun(arn) else { throw Self.error("ResourceNotFound", "Resource not found: '\(arn)'") }
        return run
    }

    func describeMapRun(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let run = try mapRun(try Self.required(input, "mapRunArn"))
        let s = run.snapshot
        var o = JSONObject()
        o["mapRunArn"] = .string(run.arn)
        o["executionArn"] = .string(run.executionArn)
        o["status"] = .string(s.status.rawValue)
        o["startDate"] = timestamp(run.startMillis)
        if let stop = s.stopMillis { o["stopDate"] = timestamp(stop) }
        o["maxConcurrency"] = JSONValue(s.maxConcurrency)
        o["toleratedFailurePercentage"] = JSONValue(s.toleratedFailurePercentage)
        o["toleratedFailureCount"] = JSONValue(s.toleratedFailureCount)
        o["itemCounts"] = Self.counts(s.items)
        o["executionCounts"] = Self.counts(s.executions)
        o["redriveCount"] = 0
        return .object(o)
    }

    private static func counts(_ c: MapRun.Counts) -> JSONValue {
        var o = JSONObject()
        o["pending"] = JSONValue(c.pending)
        o["running"] = JSONValue(c.running)
        o["succeeded"] = JSONValue(c.succeeded)
        o["failed"] = JSONValue(c.failed)
        o["timedOut"] = JSONValue(c.timedOut)
        o["aborted"] = JSONValue(c.aborted)
        o["total"] = JSONValue(c.total)
        o["resultsWritten"] = JSONValue(c.resultsWritten)
        o["failuresNotRedrivable"] = 0
        o["pendingRedrive"] = 0
        return .object(o)
    }

    func listMapRuns(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let execution = try execution(try Self.required(input, "executionArn"))
        let (page, next) = try paginate(store.mapRuns(of: execution.arn), input: input, kind: "map-runs")
        var o = JSONObject()
        o["mapRuns"] = .array(page.map { run in
            var item = JSONObject()
            item["executionArn"] = .string(run.executionArn)
            item["mapRunArn"] = .string(run.arn)
            item["stateMachineArn"] = .string(run.stateMachineArn)
            item["startDate"] = timestamp(run.startMillis)
            if let stop = run.snapshot.stopMillis { item["stopDate"] = timestamp(stop) }
            return .object(item)
        })
        if let next { o["nextToken"] = .string(next) }
        return .object(o)
    }

    func updateMapRun(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "mapRunArn")
        var problems: [String] = []
        let maxConcurrency = input["maxConcurrency"]?.intValue
        if let n = maxConcurrency, n < 0 {
            problems.append("Value '\(n)' at 'maxConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 0")
        }
        let percentage = input["toleratedFailurePercentage"]?.doubleValue
        if let p = percentage, !(0...100).contains(p) {
            let bound = p < 0 ? "greater than or equal to 0" : "less than or equal to 100"
            problems.append("Value '\(input["toleratedFailurePercentage"]?.jsonString ?? "")' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value \(bound)")
        }
        let count = input["toleratedFailureCount"]?.intValue
        if let n = count, n < 0 {
            problems.append("Value '\(n)' at 'toleratedFailureCount' failed to satisfy constraint: Member must have value greater than or equal to 0")
        }
        if !problems.isEmpty {
            throw Self.validation("\(problems.count) validation error\(problems.count == 1 ? "" : "s") detected: " + problems.joined(separator: "; "))
        }
        let run = try mapRun(arn)
        run.update(maxConcurrency: maxConcurrency, toleratedFailurePercentage: percentage, toleratedFailureCount: count)
        store.persist(mapRun: run)
        return [:]
    }
}

/// Makes map runs and their children visible in the store as the interpreter starts them.
struct StoreMapRunRegistry: MapRunRegistry {
    let store: StatesStore

    func mapRunStarted(_ run: MapRun) { store.addMapRun(run) }

    func childStarted(_ child: MapRunChild, of run: MapRun) { store.addExecution(StatesStore.Execution(child: child, of: run)) }

    func childFinished(arn: String, status: ExecutionStatus, output: String?, error: String?, cause: String?, at millis: Int64) {
        store.execution(arn)?.finish(status: status, output: output, error: error, cause: cause, at: millis)
    }
}
