/// Who calls a Task's resource: the state and its execution, for the integrations' requests.
public struct TaskContext: Sendable {
    public var stateName: String
    public var executionArn: String
    public var region: String
    public var account: String
    public var stateMachine: String = ""
}
