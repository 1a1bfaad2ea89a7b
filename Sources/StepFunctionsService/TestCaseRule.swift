import Determinism
public import JSONCore

/// Chooses a mock configuration test case for executions a client starts without one: by the
/// state machine's name and the execution's name (`*` and `?` wildcards), so a test suite
/// that cannot change the ARNs its code uses still runs its test cases
/// (`stepFunctions.testCases` in the configuration file). The first rule that matches wins;
/// `stateMachineArn#TestCase` and the `X-Understudy-Test-Case` header come before any rule.
public struct TestCaseRule: Sendable {
    public let testCase: String
    let stateMachine: WildcardPattern?
    let execution: WildcardPattern?

    /// A rule that cannot be used, naming the field.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `{"testCase": "HappyPath", "stateMachine": "Order*", "execution": "happy-*"}`.
    public init(json: JSONValue) throws(Invalid) {
        guard let object = json.objectValue else { throw Invalid(description: "a test case rule is a mapping") }
        for key in object.keys where !["testCase", "stateMachine", "execution"].contains(key) {
            throw Invalid(description: "unknown field \(key); a test case rule has testCase, stateMachine and execution")
        }
        guard let testCase = object["testCase"]?.stringValue, !testCase.isEmpty else {
            throw Invalid(description: "testCase must be the name of a test case in the mock configuration")
        }
        func pattern(_ key: String) throws(Invalid) -> WildcardPattern? {
            guard let value = object[key] else { return nil }
            guard let text = value.stringValue, !text.isEmpty else { throw Invalid(description: "\(key) must be a name or a pattern with * and ?") }
            return WildcardPattern(text)
        }
        self.testCase = testCase
        stateMachine = try pattern("stateMachine")
        execution = try pattern("execution")
    }

    func matches(stateMachine machine: String, execution name: String) -> Bool {
        (stateMachine?.matches(machine) ?? true) && (execution?.matches(name) ?? true)
    }
}
