/// What an execution knows about itself (the `$$` context object's fixed part).
public struct ExecutionInfo: Sendable {
    public var arn: String
    public var name: String
    public var stateMachineArn: String
    public var stateMachineName: String
    public var roleArn: String
    public var startMillis: Int64
    public var region: String
    public var account: String

    public init(arn: String, name: String, stateMachineArn: String, stateMachineName: String, roleArn: String, startMillis: Int64, region: String, account: String) {
        self.arn = arn
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
        self.roleArn = roleArn
        self.startMillis = startMillis
        self.region = region
        self.account = account
    }

    /// EXPRESS executions' ARNs say so (`arn:aws:states:…:express:…`).
    var isExpress: Bool { arn.contains(":express:") }
}
