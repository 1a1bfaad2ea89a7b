/// What an execution knows about itself (the `$$` context object's fixed part).
public struct ExecutionInfo: Sendable {
    public let arn: String
    /// EXPRESS executions' ARNs say so (`arn:aws:states:…:express:…`). Stored, not searched
    /// for on each use: the interpreter asks for every execution and the `$$` object of every
    /// state, and a substring search through `String.contains` cost about 6% of a one-state
    /// StartSyncExecution.
    let isExpress: Bool
    public var name: String
    public var stateMachineArn: String
    public var stateMachineName: String
    public var roleArn: String
    public var startMillis: Int64
    public var region: String
    public var account: String

    public init(arn: String, name: String, stateMachineArn: String, stateMachineName: String, roleArn: String, startMillis: Int64, region: String, account: String) {
        self.arn = arn
        self.isExpress = arn.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            .dropFirst().contains { $0.elementsEqual("express".utf8) }
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
        self.roleArn = roleArn
        self.startMillis = startMillis
        self.region = region
        self.account = account
    }
}
