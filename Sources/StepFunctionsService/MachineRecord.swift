import JSONCore
import StatesEngine

/// A state machine as the database keeps it: one JSON document with its definition's text
/// (read again with the validator when loaded, as CreateStateMachine read it), role, dates,
/// revision, tags, logging and tracing settings, published versions and aliases.
enum MachineRecord {
    static func document(_ machine: StatesStore.Machine) -> String {
        var o = JSONObject()
        o["arn"] = .string(machine.arn)
        o["name"] = .string(machine.name)
        o["type"] = .string(machine.type.rawValue)
        o["definition"] = .string(machine.definitionText)
        o["roleArn"] = .string(machine.roleArn)
        o["created"] = JSONValue(Int(machine.creationMillis))
        o["updated"] = JSONValue(Int(machine.updateMillis))
        o["revisionId"] = .string(machine.revisionId)
        o["tags"] = .array(machine.tags.map { [.string($0.0), .string($0.1)] })
        o["logging"] = machine.loggingConfiguration
        o["tracing"] = .bool(machine.tracingEnabled)
        o["nextVersion"] = JSONValue(machine.nextVersion)
        o["versions"] = .array(
            machine.versions.map { version in
                var v: JSONObject = [
                    "number": JSONValue(version.number), "definition": .string(version.definitionText), "roleArn": .string(version.roleArn),
                    "created": JSONValue(Int(version.createdMillis)), "revisionId": .string(version.revisionId),
                ]
                if let description = version.description { v["description"] = .string(description) }
                return .object(v)
            })
        o["aliases"] = .array(
            machine.aliases.values.sorted { $0.name < $1.name }.map { alias in
                var a: JSONObject = [
                    "name": .string(alias.name), "created": JSONValue(Int(alias.createdMillis)), "updated": JSONValue(Int(alias.updatedMillis)),
                    "routing": .array(alias.routing.map { ["versionArn": .string($0.versionArn), "weight": JSONValue($0.weight)] }),
                ]
                if let description = alias.description { a["description"] = .string(description) }
                return .object(a)
            })
        return JSONValue.object(o).jsonString
    }

    /// The machine a document describes; nil when it cannot be read (the load names it).
    static func machine(_ document: String) -> StatesStore.Machine? {
        guard let o = try? JSONParser.parse(Array(document.utf8)), let arn = o["arn"]?.stringValue, let name = o["name"]?.stringValue,
            let type = o["type"]?.stringValue.flatMap(StateMachineType.init), let text = o["definition"]?.stringValue,
            let definition = try? StatesOperations.parseDefinition(text, type: type)
        else { return nil }
        var machine = StatesStore.Machine(
            arn: arn, name: name, type: type, definitionText: text, definition: definition, roleArn: o["roleArn"]?.stringValue ?? "",
            createdAt: Int64(o["created"]?.intValue ?? 0), logging: o["logging"] ?? ["level": "OFF", "includeExecutionData": false],
            tracing: o["tracing"]?.boolValue ?? false)
        machine.updateMillis = Int64(o["updated"]?.intValue ?? 0)
        machine.revisionId = o["revisionId"]?.stringValue ?? ""
        machine.tags = (o["tags"]?.arrayValue ?? []).compactMap { pair in
            guard let key = pair[0]?.stringValue, let value = pair[1]?.stringValue else { return nil }
            return (key, value)
        }
        machine.nextVersion = o["nextVersion"]?.intValue ?? 1
        for v in o["versions"]?.arrayValue ?? [] {
            guard let number = v["number"]?.intValue, let text = v["definition"]?.stringValue,
                let parsed = try? StatesOperations.parseDefinition(text, type: type)
            else { continue }
            machine.versions.append(
                .init(
                    number: number, definitionText: text, definition: parsed, roleArn: v["roleArn"]?.stringValue ?? machine.roleArn,
                    description: v["description"]?.stringValue, createdMillis: Int64(v["created"]?.intValue ?? 0),
                    revisionId: v["revisionId"]?.stringValue ?? ""))
        }
        for a in o["aliases"]?.arrayValue ?? [] {
            guard let aliasName = a["name"]?.stringValue else { continue }
            let routing = (a["routing"]?.arrayValue ?? []).compactMap { route -> (versionArn: String, weight: Int)? in
                guard let arn = route["versionArn"]?.stringValue, let weight = route["weight"]?.intValue else { return nil }
                return (arn, weight)
            }
            machine.aliases[aliasName] = .init(
                name: aliasName, description: a["description"]?.stringValue, routing: routing, createdMillis: Int64(a["created"]?.intValue ?? 0),
                updatedMillis: Int64(a["updated"]?.intValue ?? 0))
        }
        return machine
    }
}
