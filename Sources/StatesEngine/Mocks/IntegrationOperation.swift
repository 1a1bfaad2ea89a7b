/// The API operation whose output a Task resource answers with, to check a mock of it:
/// `arn:aws:states:::aws-sdk:<service>:<action>` is that service's operation (the action's
/// first letter capitalized), and the optimized integrations are the operation they call
/// (`lambda:invoke` Lambda's Invoke, `events:putEvents` EventBridge's PutEvents,
/// `states:startExecution` StartExecution, its `.sync` forms DescribeExecution).
/// https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
///
/// No operation (nothing is checked) for what no model describes: a Lambda function's own
/// ARN (the function's payload), activities, `.waitForTaskToken` (whatever the token's sender
/// sends), `.sync` forms other than Step Functions' (their results are not one operation's
/// output), `http:invoke`, API Gateway, EKS, and services whose models are not embedded.
struct IntegrationOperation: Sendable, Equatable {
    /// The key of `IntegrationShapes.services`: the name in `aws-sdk:<service>:…`.
    let service: String
    /// As the resource names it (`getItem`); looked up without regard to case.
    let operation: String
    /// Top-level members taken as any JSON rather than the model's type, where what an
    /// execution sees is not what the API's model says (below).
    let documents: Set<String>

    init(service: String, operation: String, documents: Set<String> = []) {
        self.service = service
        self.operation = operation
        self.documents = documents
    }

    /// Optimized integrations named differently from their `aws-sdk` service.
    private static let sdkNames = ["states": "sfn", "events": "eventbridge"]

    /// - Parameter dialect: `.testState` holds a result to the model as AWS's TestState does,
    ///   where `lambda:invoke`'s `Payload` and `bedrock:invokeModel`'s `Body` are blobs (strings);
    ///   `.execution` takes those as the JSON an execution really gets from them.
    init?(resource: String, dialect: MockResultValidator.Dialect) {
        let parts = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "states", parts[3].isEmpty, parts[4].isEmpty else { return nil }
        var integration = parts[5]
        let sdk = integration.hasPrefix("aws-sdk:")
        if sdk { integration = integration.dropFirst("aws-sdk:".count) }
        guard let colon = integration.firstIndex(of: ":") else { return nil }
        var service = String(integration[..<colon])
        var action = String(integration[integration.index(after: colon)...])
        guard !service.isEmpty, !action.isEmpty, !action.hasSuffix(TaskResource.waitForTaskTokenSuffix) else { return nil }
        var sync = 0
        if action.hasSuffix(".sync:2") {
            sync = 2
            action.removeLast(".sync:2".count)
        } else if action.hasSuffix(".sync") {
            sync = 1
            action.removeLast(".sync".count)
        }
        var documents: Set<String> = []
        if !sdk {
            service = Self.sdkNames[service] ?? service
            switch (service, action) {
            case ("lambda", "invoke"):
                if dialect == .execution { documents = ["Payload"] }
            case ("bedrock", "invokeModel"):
                service = "bedrockruntime"
                if dialect == .execution { documents = ["Body"] }
            default:
                break
            }
        }
        if sync > 0 {
            // A `.sync` Task answers what the service's describe call says at the end; only
            // Step Functions' is one operation's output (DescribeExecution), `.sync:2` with
            // Input and Output as JSON rather than text.
            guard !sdk, service == "sfn", action == "startExecution" else { return nil }
            action = "describeExecution"
            if sync == 2 { documents = ["Input", "Output"] }
        }
        self.init(service: service, operation: action, documents: documents)
    }
}
