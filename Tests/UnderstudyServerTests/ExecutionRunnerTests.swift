import JSONCore
import StatesEngine
import XCTest

@testable import StepFunctionsService

/// An execution holds the task that runs it only while it runs: a finished task keeps its
/// async frames until released, and the store keeps 1,000 express executions for the admin view.
final class ExecutionRunnerTests: XCTestCase {
    func execution() throws -> StatesStore.Execution {
        let text = #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#
        let definition = try XCTUnwrap(DefinitionValidator.check(text, express: true).definition)
        let machine = StatesStore.Machine(
            arn: "arn:aws:states:us-east-1:123456789012:stateMachine:m", name: "m", type: .express, definitionText: text,
            definition: definition, roleArn: "arn:aws:iam::123456789012:role/r", createdAt: 0, logging: [:], tracing: false)
        return StatesStore.Execution(
            arn: "arn:aws:states:us-east-1:123456789012:express:m:e:1", name: "e", machine: machine, input: "{}", startMillis: 0, express: true)
    }

    func testTheRunnerIsReleasedWhenItEnds() async throws {
        let execution = try execution()
        let runner = execution.startRunner { await Task.yield() }
        await runner.value
        XCTAssertFalse(execution.holdsRunner)
    }

    func testARunnerIsHeldWhileItRunsSoItCanBeCancelled() async throws {
        let execution = try execution()
        let runner = execution.startRunner {
            while !Task.isCancelled { try? await Task.sleep(nanoseconds: 1_000_000) }
        }
        XCTAssertTrue(execution.holdsRunner)
        execution.cancelRunner()
        await runner.value
        XCTAssertFalse(execution.holdsRunner)
    }
}
