/// A state machine's type, as CreateStateMachine's `type` and DescribeExecution spell it. EXPRESS
/// machines refuse `.sync` and `.waitForTaskToken` integrations and keep no history quota.
/// https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
public enum StateMachineType: String, Sendable, CaseIterable {
    case standard = "STANDARD"
    case express = "EXPRESS"
}
