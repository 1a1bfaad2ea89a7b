/// A Task's `Resource` and how it is run: an activity (a worker polls for it), an integration
/// that waits for its task token (`.waitForTaskToken`), or a call answered when it returns.
/// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
struct TaskResource: Sendable {
    enum Pattern: Sendable {
        case activity
        case waitForTaskToken
        case call
    }

    static let waitForTaskTokenSuffix = ".waitForTaskToken"

    let arn: String
    let pattern: Pattern
    /// The `resourceType` and `resource` history events show: `arn:aws:states:::bedrock:invokeModel`
    /// is ("bedrock", "invokeModel").
    let historyType: String
    let historyName: String

    init(_ arn: String) {
        self.arn = arn
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 7, parts[0] == "arn", parts[2] == "states", parts[5] == "activity", !parts[6].isEmpty {
            pattern = .activity
        } else if arn.hasSuffix(Self.waitForTaskTokenSuffix) {
            pattern = .waitForTaskToken
        } else {
            pattern = .call
        }
        if parts.count >= 7, parts[2] == "states" {
            historyType = String(parts[5])
            historyName = parts[6...].joined(separator: ":")
        } else if parts.count >= 7, parts[2] == "lambda" {
            (historyType, historyName) = ("lambda", "invoke")
        } else {
            (historyType, historyName) = ("unknown", arn)
        }
    }

    /// A Lambda function's own ARN (`arn:aws:lambda:…:function:NAME`), whose history has
    /// `LambdaFunction*` events instead of `Task*` ones.
    var isLambdaFunction: Bool { historyType == "lambda" && arn.hasPrefix("arn:aws:lambda:") }

    /// It waits for a worker or a token: something outside the execution answers it.
    var waitsOnOutside: Bool { pattern != .call }

    /// What a `.waitForTaskToken` integration calls: the resource without the suffix.
    var invoked: String {
        pattern == .waitForTaskToken ? String(arn.dropLast(Self.waitForTaskTokenSuffix.count)) : arn
    }
}
