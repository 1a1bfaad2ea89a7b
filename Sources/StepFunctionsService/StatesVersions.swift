import AWSWire
import JSONCore
import Locking
import ServiceKit
import StatesEngine

/// Versions and aliases: published snapshots of a state machine and named, weighted routes to
/// them; executions can start through either.
extension StatesOperations {
    var versionOperations: [String: StatesFrontEnd.Handler] {
        [
            "PublishStateMachineVersion": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try publishVersion(i, r) },
            "ListStateMachineVersions": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try listVersions(i, r) },
            "DeleteStateMachineVersion": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try deleteVersion(i, r) },
            "CreateStateMachineAlias": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try createAlias(i, r) },
            "DescribeStateMachineAlias": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try describeAlias(i, r) },
            "UpdateStateMachineAlias": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try updateAlias(i, r) },
            "DeleteStateMachineAlias": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try deleteAlias(i, r) },
            "ListStateMachineAliases": { [self] (i: JSONObject, r: ServiceRequest) throws(AWSServiceError) -> JSONValue? in try listAliases(i, r) },
        ]
    }

    /// `…:stateMachine:name[:qualifier]` → the base ARN and the qualifier.
    /// Splits over UTF-8 bytes: asked on every StartExecution and StartSyncExecution.
    static func split(_ arn: String) -> (base: String, qualifier: String?) {
        let colon = UInt8(ascii: ":")
        guard arn.utf8.lazy.filter({ $0 == colon }).count == 7, let last = arn.utf8.lastIndex(of: colon) else { return (arn, nil) }
        return (String(arn[..<last]), String(arn[arn.utf8.index(after: last)...]))
    }

    /// What a state machine ARN (plain, version or alias) starts: the machine, and the version
    /// and alias it went through.
    func resolve(_ arn: String) throws(AWSServiceError) -> (StatesStore.Machine, StatesStore.Machine.Version?, aliasArn: String?) {
        let (base, qualifier) = Self.split(arn)
        let machine = try machine(base)
        guard let qualifier else { return (machine, nil, nil) }
        if let number = Int(qualifier) {
            guard let version = machine.versions.first(where: { $0.number == number }) else {
                throw Self.error("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(arn)'")
            }
            return (machine, version, nil)
        }
        guard let alias = machine.aliases[qualifier] else { throw Self.error("ResourceNotFound", "Resource not found: '\(arn)'") }
        // Weighted routing, drawn from the seeded stream.
        let total = alias.routing.reduce(0) { $0 + $1.weight }
        var pick = total > 0 ? Int(names.withLock { $0.next() } % UInt64(total)) : 0
        var chosen = alias.routing.first?.versionArn ?? ""
        for route in alias.routing {
            if pick < route.weight { chosen = route.versionArn; break }
            pick -= route.weight
        }
        let number = Int(Self.split(chosen).qualifier ?? "") ?? 0
        guard let version = machine.versions.first(where: { $0.number == number }) else {
            throw Self.error("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(chosen)'")
        }
        return (machine, version, arn)
    }

    /// Publishes the machine's current revision as a new version and returns its ARN (nil
    /// when the machine is gone); an unchanged revision returns the latest version instead.
    /// `revisionId`, when given, must be the current one.
    func publish(_ arn: String, description: String?, revisionId: String? = nil) throws(AWSServiceError) -> String? {
        let now = clock.nowMillis()
        return try store.updateMachine(arn) { machine throws(AWSServiceError) -> String in
            if let revisionId, revisionId != machine.revisionId {
                throw Self.error(
                    "ConflictException",
                    "Failed to publish the State Machine version for revision \(revisionId). The current State Machine revision is \(machine.revisionId).")
            }
            if let latest = machine.versions.last, latest.definitionText == machine.definitionText, latest.roleArn == machine.roleArn {
                return "\(machine.arn):\(latest.number)"
            }
            let number = machine.nextVersion
            machine.nextVersion += 1
            machine.versions.append(
                .init(number: number, definitionText: machine.definitionText, definition: machine.definition, roleArn: machine.roleArn, description: description,
                      createdMillis: now, revisionId: machine.revisionId))
            return "\(machine.arn):\(number)"
        }
    }

    func publishVersion(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machineArn = try machine(try Self.required(input, "stateMachineArn")).arn
        guard let arn = try publish(machineArn, description: input["description"]?.stringValue, revisionId: input["revisionId"]?.stringValue),
            let machine = store.machine(machineArn)
        else { throw Self.error("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(machineArn)'") }
        let created = machine.versions.first { "\(machine.arn):\($0.number)" == arn }?.createdMillis ?? clock.nowMillis()
        return ["creationDate": timestamp(created), "stateMachineVersionArn": .string(arn)]
    }

    func listVersions(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try machine(try Self.required(input, "stateMachineArn"))
        let (page, next) = try paginate(Array(machine.versions.reversed()), input: input, kind: "versions")
        var o = JSONObject()
        o["stateMachineVersions"] = .array(page.map { ["stateMachineVersionArn": .string("\(machine.arn):\($0.number)"), "creationDate": timestamp($0.createdMillis)] })
        if let next { o["nextToken"] = .string(next) }
        return .object(o)
    }

    func deleteVersion(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineVersionArn")
        let (base, qualifier) = Self.split(arn)
        guard let number = qualifier.flatMap({ Int($0) }) else { throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'") }
        _ = try store.updateMachine(base) { machine throws(AWSServiceError) in
            let referencing = machine.aliases.values.filter { $0.routing.contains { $0.versionArn == arn } }
            guard referencing.isEmpty else {
                throw Self.error(
                    "ConflictException",
                    "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [\(referencing.map { "\(base):\($0.name)" }.joined(separator: ", "))]")
            }
            machine.versions.removeAll { $0.number == number }
        }
        return [:]
    }

    func routing(_ value: JSONValue?, machine: StatesStore.Machine) throws(AWSServiceError) -> [(versionArn: String, weight: Int)] {
        let routes = (value?.arrayValue ?? []).compactMap { r -> (String, Int)? in
            guard let arn = r["stateMachineVersionArn"]?.stringValue else { return nil }
            return (arn, r["weight"]?.intValue ?? 0)
        }
        guard (1...2).contains(routes.count), routes.reduce(0, { $0 + $1.1 }) == 100 else {
            throw Self.validation("Routing configuration must contain one or two versions whose weights add up to 100")
        }
        for (arn, _) in routes {
            let number = Int(Self.split(arn).qualifier ?? "") ?? -1
            guard Self.split(arn).base == machine.arn, machine.versions.contains(where: { $0.number == number }) else {
                throw Self.error("ResourceNotFound", "Resource not found: '\(arn)'")
            }
        }
        return routes.map { (versionArn: $0.0, weight: $0.1) }
    }

    func createAlias(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let name = try Self.required(input, "name")
        try Self.checkName(name)
        guard Int(name) == nil else { throw Self.error("InvalidName", "Invalid Name: '\(name)'") }
        let routes = input["routingConfiguration"]?.arrayValue ?? []
        guard let firstArn = routes.first?["stateMachineVersionArn"]?.stringValue else {
            throw Self.validation("1 validation error detected: Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null")
        }
        let machine = try machine(Self.split(firstArn).base)
        let routing = try routing(input["routingConfiguration"], machine: machine)
        let now = clock.nowMillis()
        let description = input["description"]?.stringValue
        let created = try store.updateMachine(machine.arn) { machine throws(AWSServiceError) -> Int64 in
            if let existing = machine.aliases[name] {
                guard existing.description == description, existing.routing.map(\.versionArn) == routing.map(\.versionArn) else {
                    throw Self.error("ConflictException", "Alias \(name) already exists with a different configuration")
                }
                return existing.createdMillis
            }
            machine.aliases[name] = .init(name: name, description: description, routing: routing, createdMillis: now, updatedMillis: now)
            return now
        }
        return ["stateMachineAliasArn": .string("\(machine.arn):\(name)"), "creationDate": timestamp(created ?? now)]
    }

    func alias(_ arn: String) throws(AWSServiceError) -> (StatesStore.Machine, StatesStore.Machine.Alias) {
        let (base, qualifier) = Self.split(arn)
        guard let qualifier, Int(qualifier) == nil else { throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'") }
        guard let machine = store.machine(base), let alias = machine.aliases[qualifier] else {
            throw Self.error("ResourceNotFound", "Resource not found: '\(arn)'")
        }
        return (machine, alias)
    }

    func describeAlias(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineAliasArn")
        let (_, alias) = try alias(arn)
        var o = JSONObject()
        o["stateMachineAliasArn"] = .string(arn)
        o["name"] = .string(alias.name)
        if let d = alias.description { o["description"] = .string(d) }
        o["routingConfiguration"] = .array(alias.routing.map { ["stateMachineVersionArn": .string($0.versionArn), "weight": JSONValue($0.weight)] })
        o["creationDate"] = timestamp(alias.createdMillis)
        o["updateDate"] = timestamp(alias.updatedMillis)
        return .object(o)
    }

    func updateAlias(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineAliasArn")
        var (machine, alias) = try alias(arn)
        if let description = input["description"]?.stringValue { alias.description = description }
        if input["routingConfiguration"] != nil { alias.routing = try routing(input["routingConfiguration"], machine: machine) }
        alias.updatedMillis = clock.nowMillis()
        let changed = alias
        _ = try store.updateMachine(machine.arn) { machine throws(AWSServiceError) in machine.aliases[changed.name] = changed }
        return ["updateDate": timestamp(alias.updatedMillis)]
    }

    func deleteAlias(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try Self.required(input, "stateMachineAliasArn")
        let (base, qualifier) = Self.split(arn)
        if let qualifier { _ = try store.updateMachine(base) { machine throws(AWSServiceError) in machine.aliases[qualifier] = nil } }
        return [:]
    }

    func listAliases(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try machine(try Self.required(input, "stateMachineArn"))
        let aliases = machine.aliases.values.sorted { $0.createdMillis == $1.createdMillis ? $0.name < $1.name : $0.createdMillis < $1.createdMillis }
        let (page, next) = try paginate(aliases, input: input, kind: "aliases")
        var o = JSONObject()
        o["stateMachineAliases"] = .array(page.map { ["stateMachineAliasArn": .string("\(machine.arn):\($0.name)"), "creationDate": timestamp($0.createdMillis)] })
        if let next { o["nextToken"] = .string(next) }
        return .object(o)
    }
}
