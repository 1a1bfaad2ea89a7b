import AWSWire
import Chaos
import JSONCore
import RequestStages
import ServiceKit
import XCTest

/// The fault and rate-limit stages word their errors with the tables the composition root hands
/// them, not tables of their own: a made-up wording shows through.
final class StageWordingTests: XCTestCase {
    private let wording = ErrorWording(
        bedrock: ["ModelTimeoutException": (408, "the model took too long (test table)"), "ThrottlingException": (429, "table text")],
        bedrockThrottle: "throttled (test wording)", statesNamespace: "test.states.namespace")
    private let clock = ManualClock(millis: 1_716_552_000_000)

    private func call(_ service: AWSService, _ operation: OperationName) -> ServiceCall {
        let request = ServiceRequest(method: "POST", path: "/", query: "", headers: [], body: [], requestId: "r", service: service)
        return ServiceCall(service: service, name: operation, origin: .http, request: request)
    }

    private func refusal(_ admission: Admission) -> AWSServiceError? {
        guard case .answer(let reply) = admission, case .failure(let error, _) = reply.outcome else { return nil }
        return error
    }

    func testRateLimitsThrottleInEachServicesWording() throws {
        let rules = try [
            ["service": "states", "operation": "ListStateMachines"], ["service": "bedrock-runtime", "operation": "InvokeModel"],
            ["service": "s3", "operation": "*"],
        ].map { (match: JSONObject) -> RateLimitRule in
            var rule = match
            rule["bucketSize"] = 1
            rule["refillPerSecond"] = 0.001
            return try RateLimitRule(json: .object(rule))
        }
        let stage = RateLimitStage(book: RateLimitBook(configured: rules), clock: clock, wording: wording) { _ in nil }
        for (service, operation) in [(AWSService.states, OperationName("ListStateMachines")), (.bedrockRuntime, "InvokeModel"), (.s3, "GetObject")] {
            var first = call(service, operation)
            guard case .proceed = stage.admit(&first) else { return XCTFail("the bucket's one token refused \(operation)") }
        }

        var states = call(.states, "ListStateMachines")
        let throttled = try XCTUnwrap(refusal(stage.admit(&states)))
        XCTAssertEqual(throttled.code, "ThrottlingException")
        XCTAssertEqual(throttled.message, "Rate exceeded")
        XCTAssertEqual(throttled.status, 400)
        XCTAssertEqual(throttled.namespace, "com.amazon.coral.availability")

        var bedrock = call(.bedrockRuntime, "InvokeModel")
        let bedrockError = try XCTUnwrap(refusal(stage.admit(&bedrock)))
        XCTAssertEqual(bedrockError.code, "ThrottlingException")
        XCTAssertEqual(bedrockError.message, "throttled (test wording)")
        XCTAssertEqual(bedrockError.status, 429)

        var s3 = call(.s3, "PutObject")
        let slowDown = try XCTUnwrap(refusal(stage.admit(&s3)))
        XCTAssertEqual(slowDown.code, "SlowDown")
        XCTAssertEqual(slowDown.status, 503)
    }

    func testFaultErrorsTakeTheirDefaultsFromTheWording() throws {
        let rules = try [
            #"{"name": "timeout", "match": {"service": "bedrock-runtime"}, "error": {"code": "ModelTimeoutException"}}"#,
            #"{"name": "missing", "match": {"service": "states"}, "error": {"code": "StateMachineDoesNotExist"}}"#,
        ].map { try FaultRule(json: try JSONParser.parse(Array($0.utf8)), parseTimestamp: { _ in nil }) }
        let stage = FaultStage(book: FaultBook(seed: 0, configured: rules), clock: clock, wording: wording)

        var bedrock = call(.bedrockRuntime, "InvokeModel")
        let timeout = try XCTUnwrap(refusal(stage.admit(&bedrock)))
        XCTAssertEqual(timeout.message, "the model took too long (test table)")
        XCTAssertEqual(timeout.status, 408)

        var states = call(.states, "DescribeStateMachine")
        let missing = try XCTUnwrap(refusal(stage.admit(&states)))
        XCTAssertEqual(missing.namespace, "test.states.namespace")
        XCTAssertEqual(missing.message, "StateMachineDoesNotExist")
        XCTAssertEqual(missing.status, 400)
    }
}
