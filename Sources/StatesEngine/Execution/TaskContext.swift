public import JSONCore

/// Who calls a Task's resource: the state and its execution, for the integrations' requests.
public struct TaskContext: Sendable {
    public var stateName: String
    public var executionArn: String
    public var region: String
    public var account: String
    public var stateMachine: String = ""
    /// Which try of the state this call is: 1, then one more for each Retry, so the journal and
    /// fault rules (`when: {attempts: […]}`) see a Task's retries as they see an SDK's.
    public var attempt = 1
    /// Records TaskSubmitted with the call's first answer, for an integration that then waits
    /// for the work it started (`.sync`).
    public var submitted: (@Sendable (JSONValue) -> Void)? = nil
}
