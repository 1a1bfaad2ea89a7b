import JSONCore
import StatesEngine

/// A STANDARD execution as the database keeps it: what DescribeExecution answers (name,
/// machine, version or alias, input, dates, status, output, error, cause), the definition it
/// runs, its redrive count, and every history event. Written when StartExecution is answered
/// and again when the execution ends.
enum ExecutionRecord {
    static func document(_ execution: StatesStore.Execution) -> String {
        let end = execution.snapshot
        var o = JSONObject()
        o["arn"] = .string(execution.arn)
        o["name"] = .string(execution.name)
        o["machineArn"] = .string(execution.machineArn)
        o["machineName"] = .string(execution.machineName)
        o["input"] = .string(execution.input)
        o["start"] = JSONValue(Int(execution.startMillis))
        o["definition"] = .string(execution.definitionText)
        o["roleArn"] = .string(execution.roleArn)
        o["revisionId"] = .string(execution.revisionId)
        if let versionArn = execution.versionArn { o["versionArn"] = .string(versionArn) }
        if let aliasArn = execution.aliasArn { o["aliasArn"] = .string(aliasArn) }
        o["status"] = .string(end.status.rawValue)
        if let output = end.output { o["output"] = .string(output) }
        if let error = end.error { o["error"] = .string(error) }
        if let cause = end.cause { o["cause"] = .string(cause) }
        if let stop = end.stopMillis { o["stop"] = JSONValue(Int(stop)) }
        o["redriveCount"] = JSONValue(execution.redriveInfo.count)
        o["history"] = .array(execution.history.all.map(\.record))
        return JSONValue.object(o).jsonString
    }

    /// The execution a document describes; nil when it cannot be read. `definitions` reads a
    /// definition's text once for all the executions of one machine revision.
    static func execution(_ document: String, definitions: inout [String: StateMachineDefinition]) -> StatesStore.Execution? {
        guard let o = try? JSONParser.parse(Array(document.utf8)), let arn = o["arn"]?.stringValue, let name = o["name"]?.stringValue,
            let machineArn = o["machineArn"]?.stringValue, let text = o["definition"]?.stringValue,
            let definition = definitions[text] ?? (try? StatesOperations.parseDefinition(text, type: .standard)),
            let status = o["status"]?.stringValue.flatMap(ExecutionStatus.init)
        else { return nil }
        definitions[text] = definition
        let events = (o["history"]?.arrayValue ?? []).compactMap(HistoryEvent.init(record:))
        return StatesStore.Execution(
            restoring: arn, name: name, machineArn: machineArn, machineName: o["machineName"]?.stringValue ?? "", input: o["input"]?.stringValue ?? "{}",
            startMillis: Int64(o["start"]?.intValue ?? 0), definitionText: text, definition: definition, roleArn: o["roleArn"]?.stringValue ?? "",
            revisionId: o["revisionId"]?.stringValue ?? "", versionArn: o["versionArn"]?.stringValue, aliasArn: o["aliasArn"]?.stringValue,
            end: (status, o["output"]?.stringValue, o["error"]?.stringValue, o["cause"]?.stringValue, o["stop"]?.intValue.map(Int64.init)),
            redriveCount: o["redriveCount"]?.intValue ?? 0, history: ExecutionHistory(restoring: events))
    }
}
