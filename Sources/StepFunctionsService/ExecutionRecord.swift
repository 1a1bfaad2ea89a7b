import Durable
import JSONCore
import StatesEngine

/// A STANDARD execution as the database keeps it: the columns a listing needs (name, machine,
/// status, dates), its definition's id, and a document with what describing needs besides
/// (machine name, version or alias, role, revision, input, output, error, cause, redrive
/// count). Its history is not in it: each event is a row of its own, written as it is
/// recorded. Written when StartExecution is answered and again when the execution ends.
enum ExecutionRecord {
    static func row(_ execution: StatesStore.Execution) -> StateDatabase.ExecutionRow {
        let listing = execution.listing
        return StateDatabase.ExecutionRow(
            key: execution.arn, name: execution.name, machineArn: execution.machineArn, status: listing.status.rawValue, startMillis: execution.startMillis,
            stopMillis: listing.stopMillis)
    }

    static func document(_ execution: StatesStore.Execution) -> String {
        let details = execution.details
        let end = execution.snapshot
        var o = JSONObject()
        o["machineName"] = .string(details.machineName)
        o["input"] = .string(details.input)
        o["roleArn"] = .string(details.roleArn)
        o["revisionId"] = .string(details.revisionId)
        if let versionArn = details.versionArn { o["versionArn"] = .string(versionArn) }
        if let aliasArn = details.aliasArn { o["aliasArn"] = .string(aliasArn) }
        if let output = end.output { o["output"] = .string(output) }
        if let error = end.error { o["error"] = .string(error) }
        if let cause = end.cause { o["cause"] = .string(cause) }
        o["redriveCount"] = JSONValue(execution.redriveInfo.count)
        return JSONValue.object(o).jsonString
    }

    /// The details a document describes, with the definition it names; nil when it cannot be read.
    static func details(_ document: String, definition: (text: String, definition: StateMachineDefinition)) -> StatesStore.Execution.Details? {
        guard let o = try? JSONParser.parse(document) else { return nil }
        return StatesStore.Execution.Details(
            machineName: o["machineName"]?.stringValue ?? "", input: o["input"]?.stringValue ?? "{}", definitionText: definition.text,
            definition: definition.definition, roleArn: o["roleArn"]?.stringValue ?? "", revisionId: o["revisionId"]?.stringValue ?? "",
            versionArn: o["versionArn"]?.stringValue, aliasArn: o["aliasArn"]?.stringValue,
            end: (o["output"]?.stringValue, o["error"]?.stringValue, o["cause"]?.stringValue), redriveCount: o["redriveCount"]?.intValue ?? 0)
    }
}
