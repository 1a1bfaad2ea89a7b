public import JSONCore

/// Calls a Task state's resource.
public protocol TaskInvoker: Sendable {
    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue
}
