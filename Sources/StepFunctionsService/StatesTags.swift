import AWSWire
public import JSONCore
import ServiceKit
import StatesEngine

/// Tags, and the admin view of recent executions.
extension StatesOperations {
    /// The well-formed ARN `resourceArn` names.
    func taggedMachineArn(_ input: JSONObject) throws(AWSServiceError) -> String {
        let arn = try Self.required(input, "resourceArn")
        guard ARN(arn) != nil else { throw Self.error("InvalidArn", "Invalid Arn: '\(arn)'") }
        return arn
    }

    static func resourceNotFound(_ arn: String) -> AWSServiceError { error("ResourceNotFound", "Resource not found: '\(arn)'") }

    /// Adds or replaces tags. The 50-tag limit is checked on the result before anything
    /// changes, so refused tags are never applied.
    func tagResource(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try taggedMachineArn(input)
        let changed: Void? = try store.updateMachine(arn) { machine throws(AWSServiceError) in
            var tags = machine.tags
            for tag in input["tags"]?.arrayValue ?? [] {
                guard let key = tag["key"]?.stringValue else { continue }
                tags.removeAll { $0.0 == key }
                tags.append((key, tag["value"]?.stringValue ?? ""))
            }
            guard tags.count <= 50 else { throw Self.error("TooManyTags", "Too many tags: '\(arn)'") }
            machine.tags = tags
        }
        guard changed != nil else { throw Self.resourceNotFound(arn) }
        return [:]
    }

    func untagResource(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try taggedMachineArn(input)
        let keys = Set((input["tagKeys"]?.arrayValue ?? []).compactMap(\.stringValue))
        let changed: Void? = try store.updateMachine(arn) { machine throws(AWSServiceError) in machine.tags.removeAll { keys.contains($0.0) } }
        guard changed != nil else { throw Self.resourceNotFound(arn) }
        return [:]
    }

    func listTags(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> JSONValue? {
        let arn = try taggedMachineArn(input)
        guard let machine = store.machine(arn) else { throw Self.resourceNotFound(arn) }
        return ["tags": .array(machine.tags.map { ["key": .string($0.0), "value": .string($0.1)] })]
    }

    // MARK: - Admin view

    /// Recent executions, express ones included, with what AWS cannot show for express runs:
    /// input, output and the states visited.
    public func recentExecutions(limit: Int) -> JSONValue {
        .array(store.recentExecutions(limit: limit).map { ExecutionDocument($0, timestamp: { .string(AWSTimestamp.iso8601(epochMillis: $0)) }).adminView })
    }
}
