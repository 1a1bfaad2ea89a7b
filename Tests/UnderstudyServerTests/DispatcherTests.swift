import AWSWire
import BedrockEngine
import JSONCore
import Locking
import BedrockService
import Integrations
import RequestStages
import ServiceKit
import StepFunctionsService
import UnderstudyTesting
import XCTest

@testable import StatesEngine
@testable import UnderstudyServer

/// The one boundary: operations that wait (StartSyncExecution, GetActivityTask, TestState)
/// answered in process, and a Task's Bedrock call passing the same stages as an SDK's without
/// becoming HTTP bytes.
final class DispatcherTests: XCTestCase {
    static let role = "arn:aws:iam::123456789012:role/r"

    func states(_ server: TestServer, _ operation: String, _ body: JSONValue) async throws -> TestResponse {
        try await server.send(.stepFunctions(operation, body))
    }

    func testStartSyncExecutionAnswersInProcess() async throws {
        try await InMemoryServer.with({ $0.timeScale = 0 }) { server in
            let definition: JSONValue = [
                "StartAt": "Wait",
                "States": ["Wait": ["Type": "Wait", "Seconds": 30, "Next": "Done"], "Done": ["Type": "Pass", "Result": ["ok": true], "End": true]],
            ]
            let created = try await states(
                server, "CreateStateMachine", ["name": "sync", "type": "EXPRESS", "roleArn": .string(Self.role), "definition": .string(definition.jsonString)])
            let arn = try XCTUnwrap(try created.json()["stateMachineArn"]?.stringValue)
            let started = try await states(server, "StartSyncExecution", ["stateMachineArn": .string(arn), "input": "{}"])
            XCTAssertEqual(started.status, 200)
            XCTAssertEqual(try started.json()["status"], "SUCCEEDED")
            XCTAssertEqual(try started.json()["output"], #"{"ok":true}"#)
            let syncMachines = try await server.journal.calls(operation: "StartSyncExecution").map(\.stateMachine)
            XCTAssertEqual(syncMachines, ["sync"])
        }
    }

    func testGetActivityTaskWaitsForTheExecutionInProcess() async throws {
        try await InMemoryServer.with({ $0.timeScale = 0 }) { server in
            let createdActivity = try await states(server, "CreateActivity", ["name": "worker"])
            let activity = try XCTUnwrap(try createdActivity.json()["activityArn"]?.stringValue)
            let definition: JSONValue = ["StartAt": "Work", "States": ["Work": ["Type": "Task", "Resource": .string(activity), "End": true]]]
            let createdMachine = try await states(
                server, "CreateStateMachine", ["name": "activity", "roleArn": .string(Self.role), "definition": .string(definition.jsonString)])
            let machine = try XCTUnwrap(try createdMachine.json()["stateMachineArn"]?.stringValue)
            let started = try await states(server, "StartExecution", ["stateMachineArn": .string(machine), "input": #"{"n":1}"#])
            let execution = try XCTUnwrap(try started.json()["executionArn"]?.stringValue)
            let task = try await states(server, "GetActivityTask", ["activityArn": .string(activity)])
            XCTAssertEqual(try task.json()["input"], #"{"n":1}"#)
            let token = try XCTUnwrap(try task.json()["taskToken"]?.stringValue)
            let sent = try await states(server, "SendTaskSuccess", ["taskToken": .string(token), "output": #"{"done":true}"#])
            XCTAssertEqual(sent.status, 200)
            var status: JSONValue? = nil
            for _ in 0..<200 {
                status = try await states(server, "DescribeExecution", ["executionArn": .string(execution)]).json()["status"]
                if status != "RUNNING" { break }
                try await Task.sleep(nanoseconds: 5_000_000)
            }
            XCTAssertEqual(status, "SUCCEEDED")
        }
    }

    func testTestStateAnswersInProcess() async throws {
        try await InMemoryServer.with { server in
            let state: JSONValue = ["Type": "Pass", "Parameters": ["greeting.$": "States.Format('hi {}', $.name)"], "End": true]
            let tested = try await states(
                server, "TestState", ["definition": .string(state.jsonString), "roleArn": .string(Self.role), "input": #"{"name":"ada"}"#])
            XCTAssertEqual(tested.status, 200)
            XCTAssertEqual(try tested.json()["status"], "SUCCEEDED")
            XCTAssertEqual(try tested.json()["output"], #"{"greeting":"hi ada"}"#)
        }
    }

    /// Sees every call that crosses the boundary, and can refuse the first N.
    final class WatchingStage: DispatchStage {
        let seen = Locked<[ServiceCall]>([])
        let refusals = Locked(0)

        func admit(_ operation: inout ServiceCall) -> Admission {
            seen.withLock { $0.append(operation) }
            let refuse = refusals.withLock { left in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
            guard refuse else { return .proceed }
            return .answer(.failure(AWSServiceError(code: "ThrottlingException", message: "Too many requests, please wait before trying again.", status: 429)))
        }
    }

    func taskIntegrations(_ stage: WatchingStage) throws -> (TaskIntegrations, BedrockRuntime) {
        let runtime = BedrockRuntime(catalog: try ModelCatalog.bundled(), seed: 7)
        let dispatcher = Dispatcher(
            services: [.bedrockRuntime: BedrockRuntimeFrontEnd(runtime: runtime)], stages: [stage], requestIds: RequestIDGenerator(seed: 7))
        return (TaskIntegrations(dispatcher: dispatcher, clock: ScaledExecutionClock(clock: ManualClock(millis: 0), scale: 0)), runtime)
    }

    static let context = TaskContext(
        stateName: "Invoke", executionArn: "arn:aws:states:eu-west-1:123456789012:express:m:e:e", region: "eu-west-1", account: "123456789012",
        stateMachine: "m")

    func testATaskBedrockCallCrossesTheStagesAsAnOperation() async throws {
        let stage = WatchingStage()
        let (tasks, runtime) = try taskIntegrations(stage)
        let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [["role": "user", "content": "Hello"]]]
        let model = "anthropic.claude-3-5-haiku-20241022-v1:0"
        let result = try await tasks.invoke(
            resource: "arn:aws:states:::bedrock:invokeModel", parameters: ["ModelId": .string(model), "Body": body], context: Self.context)
        let call = try XCTUnwrap(stage.seen.withLock { $0.first })
        XCTAssertEqual(call.service, AWSService.bedrockRuntime)
        XCTAssertEqual(call.name, "InvokeModel")
        XCTAssertEqual(call.origin, ServiceCall.Origin.task)
        XCTAssertEqual(call.model, model)
        XCTAssertEqual(call.stateMachineName, "m")
        XCTAssertEqual(call.caller, Caller(account: "123456789012", region: "eu-west-1", accessKeyId: nil))
        // The Task's result is the engine's own JSON, not bytes read back.
        let direct = try runtime.invoke(modelId: model, body: body.jsonBytes, region: "eu-west-1", account: "123456789012")
        XCTAssertEqual(result["Body"], direct.body)
        XCTAssertEqual(result["ContentType"], "application/json")
    }

    func testARefusalAtAStageFailsTheTaskWithTheServiceError() async throws {
        let stage = WatchingStage()
        stage.refusals.withLock { $0 = 1 }
        let (tasks, _) = try taskIntegrations(stage)
        do throws(StatesError) {
            _ = try await tasks.invoke(
                resource: "arn:aws:states:::bedrock:invokeModel",
                parameters: ["ModelId": "anthropic.claude-3-5-haiku-20241022-v1:0", "Body": ["prompt": "x"]], context: Self.context)
            XCTFail("the refusal should fail the task")
        } catch {
            XCTAssertEqual(error.error, "Bedrock.ThrottlingException")
            XCTAssertTrue(error.cause?.hasPrefix("Too many requests, please wait before trying again. (Service: BedrockRuntime, Status Code: 429, Request ID: ") ?? false, error.cause ?? "")
        }
    }
}
