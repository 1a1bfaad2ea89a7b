/// What is known about a call when faults are decided.
public struct FaultContext: Sendable {
    public var service: String
    public var operation: String
    public var model: String?
    public var account: String
    public var stateMachine: String?
    public var attempt: Int?
    public var nowMillis: Int64

    public init(service: String, operation: String, model: String?, account: String, stateMachine: String?, attempt: Int?, nowMillis: Int64) {
        self.service = service
        self.operation = operation
        self.model = model
        self.account = account
        self.stateMachine = stateMachine
        self.attempt = attempt
        self.nowMillis = nowMillis
    }
}
