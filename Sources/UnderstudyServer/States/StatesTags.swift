import AWSWire
import BedrockEngine
import Determinism
import JSONCore
import StatesEngine
import Synchronization

/// Tags, and the admin view of recent executions.
extension StatesOperations {
    func taggedMachine(_ input: JSONObject) throws(AWSServiceError) -> StatesStore.Machine {
        let arn = try Self.required(input, "resourceArn")
        guard ARN(arn) != nil else { throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'") }
        guard let machine = store.machine(arn) else { throw Self.error("ResourceNotFound", "Resource not found: '\(arn)'") }
        return machine
    }

    func tagResource(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try taggedMachine(input)
        for tag in input["tags"]?.arrayValue ?? [] {
            guard let key = tag["key"]?.stringValue else { continue }
            machine.tags.removeAll { $0.0 == key }
            machine.tags.append((key, tag["value"]?.stringValue ?? ""))
        }
        guard machine.tags.count <= 50 else { throw Self.error("TooManyTags", "Too many tags: '\(machine.arn)'") }
        return [:]
    }

    func untagResource(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try taggedMachine(input)
        let keys = Set((input["tagKeys"]?.arrayValue ?? []).compactMap(\.stringValue))
        machine.tags.removeAll { keys.contains($0.0) }
        return [:]
    }

    func listTags(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let machine = try taggedMachine(input)
        return ["tags": .array(machine.tags.map { ["key": .string($0.0), "value": .string($0.1)] })]
    }

    // MARK: - Admin view

    /// Recent executions, express ones included, with what AWS cannot show for express runs:
    /// input, output and the states visited.
    func recentExecutions(limit: Int) -> JSONValue {
        .array(store.recentExecutions(limit: limit).map { e in
            let s = e.snapshot
            var o = JSONObject()
            o["executionArn"] = .string(e.arn)
            o["stateMachineArn"] = .string(e.machineArn)
            o["name"] = .string(e.name)
            o["type"] = e.express ? "EXPRESS" : "STANDARD"
            o["status"] = .string(s.status)
            o["startDate"] = .string(AWSTimestamp.iso8601(epochMillis: e.startMillis))
            if let stop = s.stopMillis { o["stopDate"] = .string(AWSTimestamp.iso8601(epochMillis: stop)) }
            o["input"] = (try? JSONParser.parse(e.input)) ?? .string(e.input)
            if let output = s.output { o["output"] = (try? JSONParser.parse(output)) ?? .string(output) }
            if let error = s.error { o["error"] = .string(error) }
            if let cause = s.cause { o["cause"] = .string(cause) }
            o["statesVisited"] = .array(e.history.all.filter { $0.type.hasSuffix("StateEntered") }.compactMap { $0.details?.value["name"] })
            return .object(o)
        })
    }
}
