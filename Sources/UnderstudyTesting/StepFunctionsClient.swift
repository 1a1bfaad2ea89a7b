public import JSONCore
import Foundation

/// Step Functions calls as tests make them most. ARNs are strings; answers are the API's JSON,
/// with a typed `ExecutionResult` where a test reads an execution's end.
public struct StepFunctionsClient: Sendable {
    let server: TestServer

    /// The role ARN state machines are created with unless given (Understudy does not assume it).
    public static let defaultRole = "arn:aws:iam::123456789012:role/understudy-testing"

    public enum MachineType: String, Sendable {
        case standard = "STANDARD"
        case express = "EXPRESS"
    }

    /// Any operation, by name, with its JSON input (`ListStateMachines`, `SendTaskSuccess`, …).
    public func call(_ operation: String, _ input: JSONValue) async throws -> JSONValue {
        try await server.send(.stepFunctions(operation, input)).succeeded().json()
    }

    /// CreateStateMachine; answers its ARN.
    public func createStateMachine(name: String, definition: JSONValue, type: MachineType = .standard, role: String = defaultRole) async throws -> String {
        let created = try await call(
            "CreateStateMachine", ["name": .string(name), "definition": .string(definition.jsonString), "roleArn": .string(role), "type": .string(type.rawValue)])
        guard let arn = created["stateMachineArn"]?.stringValue else { throw HarnessError.unexpectedAnswer("CreateStateMachine without stateMachineArn") }
        return arn
    }

    /// CreateStateMachine from an ASL file; a file that cannot be read, or is not JSON, throws
    /// before anything is sent.
    public func createStateMachine(name: String, definitionFile path: String, type: MachineType = .standard, role: String = defaultRole) async throws -> String {
        guard let bytes = FileManager.default.contents(atPath: path) else { throw HarnessError.fileUnreadable(path) }
        let definition: JSONValue
        do {
            definition = try JSONParser.parse(Array(bytes))
        } catch {
            throw HarnessError.fileUnreadable("\(path): not JSON (\(error))")
        }
        return try await createStateMachine(name: name, definition: definition, type: type, role: role)
    }

    /// Puts Step Functions Local's mock configuration (a `MockConfigFile.json`'s JSON) in force;
    /// one the server refuses throws its `AWSError`, naming where it is broken.
    public func setMockConfig(_ config: JSONValue) async throws {
        _ = try await server.admin("PUT", "mock-config", config)
    }

    /// The mock configuration in force: `source`, `testCases` by machine, `config`, `problem`.
    public func mockConfig() async throws -> JSONValue {
        try await server.admin("GET", "mock-config")
    }

    /// `stateMachineArn`, with the mock configuration's test case to run when one is given.
    static func target(_ stateMachineArn: String, testCase: String?) -> JSONValue {
        .string(testCase.map { "\(stateMachineArn)#\($0)" } ?? stateMachineArn)
    }

    /// StartSyncExecution of an EXPRESS machine: its end. `testCase` runs a test case of the
    /// mock configuration (`stateMachineArn#TestCase`).
    public func startSyncExecution(_ stateMachineArn: String, input: JSONValue = [:], name: String? = nil, testCase: String? = nil) async throws -> ExecutionResult {
        var request: JSONObject = ["stateMachineArn": Self.target(stateMachineArn, testCase: testCase), "input": .string(input.jsonString)]
        if let name { request["name"] = .string(name) }
        return try ExecutionResult(try await call("StartSyncExecution", .object(request)))
    }

    /// StartExecution; answers the execution's ARN. `testCase` runs a test case of the mock
    /// configuration.
    public func startExecution(_ stateMachineArn: String, input: JSONValue = [:], name: String? = nil, testCase: String? = nil) async throws -> String {
        var request: JSONObject = ["stateMachineArn": Self.target(stateMachineArn, testCase: testCase), "input": .string(input.jsonString)]
        if let name { request["name"] = .string(name) }
        guard let arn = try await call("StartExecution", .object(request))["executionArn"]?.stringValue else {
            throw HarnessError.unexpectedAnswer("StartExecution without executionArn")
        }
        return arn
    }

    public func describeExecution(_ executionArn: String) async throws -> ExecutionResult {
        try ExecutionResult(try await call("DescribeExecution", ["executionArn": .string(executionArn)]))
    }

    /// Polls DescribeExecution until the execution is no longer RUNNING. Its waits run on the
    /// server's clock: at time scale 0 they take no time, and `server.clock.advance` moves them.
    public func waitForExecution(_ executionArn: String, timeoutSeconds: Double = 30) async throws -> ExecutionResult {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeoutSeconds * 1000))
        while true {
            let described = try await describeExecution(executionArn)
            if described.status != "RUNNING" { return described }
            guard ContinuousClock.now < deadline else {
                throw HarnessError.unexpectedAnswer("\(executionArn) still RUNNING after \(timeoutSeconds) s")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// GetExecutionHistory, every page: the events in order.
    public func history(_ executionArn: String) async throws -> [HistoryEvent] {
        var events: [HistoryEvent] = []
        var token: String? = nil
        repeat {
            var request: JSONObject = ["executionArn": .string(executionArn), "maxResults": 1000]
            if let token { request["nextToken"] = .string(token) }
            let page = try await call("GetExecutionHistory", .object(request))
            events += (page["events"]?.arrayValue ?? []).map(HistoryEvent.init)
            token = page["nextToken"]?.stringValue
        } while token != nil
        return events
    }
}

/// An execution's end (or where it stands) as DescribeExecution and StartSyncExecution answer.
public struct ExecutionResult: Sendable {
    public var status: String
    public var executionArn: String?
    /// The output parsed, when there is one.
    public var output: JSONValue?
    public var error: String?
    public var cause: String?
    /// The whole answer.
    public var raw: JSONValue

    init(_ answer: JSONValue) throws {
        guard let status = answer["status"]?.stringValue else { throw HarnessError.unexpectedAnswer("an execution without status") }
        self.status = status
        executionArn = answer["executionArn"]?.stringValue
        output = answer["output"]?.stringValue.flatMap { try? JSONParser.parse(Array($0.utf8)) }
        error = answer["error"]?.stringValue
        cause = answer["cause"]?.stringValue
        raw = answer
    }
}

/// One event of an execution's history.
public struct HistoryEvent: Sendable {
    public var id: Int
    public var type: String
    public var previousEventId: Int?
    /// The whole event (its `…EventDetails` member included).
    public var raw: JSONValue

    init(_ event: JSONValue) {
        id = event["id"]?.intValue ?? 0
        type = event["type"]?.stringValue ?? ""
        previousEventId = event["previousEventId"]?.intValue
        raw = event
    }

    /// The state a `…StateEntered`/`…StateExited` event names.
    public var stateName: String? {
        raw["stateEnteredEventDetails"]?["name"]?.stringValue ?? raw["stateExitedEventDetails"]?["name"]?.stringValue
    }
}
