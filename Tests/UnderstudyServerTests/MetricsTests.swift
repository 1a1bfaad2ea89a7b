import AWSWire
import JSONCore
import UnderstudyTesting
import XCTest

@testable import UnderstudyServer

/// `GET /_understudy/metrics`: the names and labels each count is kept under, that the counts
/// move as calls are made, that two servers in one process keep their own, and the switch.
final class MetricsTests: XCTestCase {
    static let claude = "anthropic.claude-3-5-haiku-20241022-v1:0"
    static let prompt: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 40, "messages": [["role": "user", "content": "Count"]]]

    func testCallsAreCountedByServiceOperationAndStatusWithTheirLatency() async throws {
        try await InMemoryServer.with { server in
            _ = try await server.bedrock.invokeModel(Self.claude, body: Self.prompt)
            let reply = try await server.bedrock.invokeModel(Self.claude, body: Self.prompt)
            let missing = try await server.send(.json(.bedrockRuntime, "POST", "/model/no.such-model/invoke", Self.prompt))
            XCTAssertEqual(missing.status, 400)

            let response = try await server.send(TestRequest(service: .admin, method: "GET", target: "/_understudy/metrics"))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
            let samples = Self.samples(response.text)
            let invoke = #"service="bedrock-runtime",operation="InvokeModel""#
            XCTAssertEqual(samples[#"understudy_requests_total{\#(invoke),status="200"}"#], 2)
            XCTAssertEqual(samples[#"understudy_requests_total{\#(invoke),status="400"}"#], 1)
            XCTAssertEqual(samples["understudy_request_duration_seconds_count{\(invoke)}"], 3)
            XCTAssertEqual(samples[#"understudy_request_duration_seconds_bucket{\#(invoke),le="+Inf"}"#], 3)
            XCTAssertEqual(samples[#"understudy_request_duration_seconds_bucket{\#(invoke),le="0.0005"}"#].map { $0 <= 3 }, true)
            XCTAssertNotNil(samples["understudy_request_duration_seconds_sum{\(invoke)}"])
            XCTAssertTrue(response.text.contains("# TYPE understudy_request_duration_seconds histogram"))

            let input = reply["usage"]?["input_tokens"]?.intValue ?? 0, output = reply["usage"]?["output_tokens"]?.intValue ?? 0
            XCTAssertGreaterThan(output, 0)
            XCTAssertEqual(samples[#"understudy_bedrock_input_tokens_total{model="\#(Self.claude)"}"#], Double(2 * input))
            XCTAssertEqual(samples[#"understudy_bedrock_output_tokens_total{model="\#(Self.claude)"}"#], Double(2 * output))

            // The scrape itself is an admin call, counted once it is answered.
            let again = Self.samples(try await server.send(TestRequest(service: .admin, method: "GET", target: "/_understudy/metrics")).text)
            XCTAssertEqual(again[#"understudy_requests_total{service="admin",operation="Metrics",status="200"}"#], 1)
        }
    }

    func testFaultsAndThrottlesAreCountedByRuleQuotaAndRateLimit() async throws {
        var configured = ServerConfiguration()
        try ConfigurationLoader.apply(
            yaml: """
                faults:
                  - {name: broken, match: {operation: Converse, model: "anthropic.*"}, error: {code: ServiceUnavailableException}}
                quotas:
                  - {name: tiny, model: "amazon.nova-micro*", requestsPerMinute: 1}
                rateLimits:
                  - {name: listing, service: states, operation: ListStateMachines, bucketSize: 1, refillPerSecond: 0.001}
                """, to: &configured)
        try await InMemoryServer.with({ $0 = configured }) { server in
            let broken = try await server.send(.json(.bedrockRuntime, "POST", "/model/\(Self.claude)/converse", ["messages": [["role": "user", "content": [["text": "hi"]]]]]))
            XCTAssertEqual(broken.status, 503)
            let nova = "amazon.nova-micro-v1:0"
            let body: JSONValue = ["messages": [["role": "user", "content": [["text": "hi"]]]]]
            var statuses: [Int] = []
            for _ in 0..<2 { statuses.append(try await server.send(.json(.bedrockRuntime, "POST", "/model/\(nova)/converse", body)).status) }
            for _ in 0..<2 { statuses.append(try await server.send(.stepFunctions("ListStateMachines", [:])).status) }
            XCTAssertEqual(statuses, [200, 429, 200, 400])

            let samples = try await Self.scrape(server)
            XCTAssertEqual(samples[#"understudy_faults_injected_total{rule="broken"}"#], 1)
            XCTAssertEqual(samples[#"understudy_quota_throttles_total{quota="tiny"}"#], 1)
            XCTAssertEqual(samples[#"understudy_rate_limit_throttles_total{rate_limit="listing"}"#], 1)
            XCTAssertEqual(samples[#"understudy_requests_total{service="states",operation="ListStateMachines",status="400"}"#], 1)
        }
    }

    func testExecutionsAreCountedWhenTheyStartAndEndByTypeAndStatus() async throws {
        try await InMemoryServer.with({ $0.timeScale = 0 }) { server in
            let pass: JSONValue = ["StartAt": "P", "States": ["P": ["Type": "Pass", "End": true]]]
            let fail: JSONValue = ["StartAt": "F", "States": ["F": ["Type": "Fail", "Error": "Nope"]]]
            let express = try await server.stepFunctions.createStateMachine(name: "Quick", definition: pass, type: .express)
            let standard = try await server.stepFunctions.createStateMachine(name: "Slow", definition: fail)
            _ = try await server.stepFunctions.startSyncExecution(express)
            _ = try await server.stepFunctions.startSyncExecution(express)
            let arn = try await server.stepFunctions.startExecution(standard)
            _ = try await server.stepFunctions.waitForExecution(arn)

            let samples = try await Self.scrape(server)
            XCTAssertEqual(samples[#"understudy_executions_started_total{type="EXPRESS"}"#], 2)
            XCTAssertEqual(samples[#"understudy_executions_finished_total{type="EXPRESS",status="SUCCEEDED"}"#], 2)
            XCTAssertEqual(samples[#"understudy_executions_started_total{type="STANDARD"}"#], 1)
            XCTAssertEqual(samples[#"understudy_executions_finished_total{type="STANDARD",status="FAILED"}"#], 1)
        }
    }

    /// Each pipeline has its own registry: a call to one server is not counted by another in
    /// the same process (a global `MetricsSystem.bootstrap` would add them up).
    func testTwoServersInOneProcessKeepTheirOwnCounts() async throws {
        try await InMemoryServer.with { first in
            try await InMemoryServer.with { second in
                _ = try await first.bedrock.invokeModel(Self.claude, body: Self.prompt)
                _ = try await first.bedrock.invokeModel(Self.claude, body: Self.prompt)
                _ = try await second.bedrock.invokeModel(Self.claude, body: Self.prompt)
                let key = #"understudy_requests_total{service="bedrock-runtime",operation="InvokeModel",status="200"}"#
                let one = try await Self.scrape(first)[key], two = try await Self.scrape(second)[key]
                XCTAssertEqual(one, 2)
                XCTAssertEqual(two, 1)
            }
        }
    }

    func testMetricsOffAnswersNotFoundAndCountsNothing() async throws {
        var configured = ServerConfiguration()
        try ConfigurationLoader.apply(yaml: "metrics:\n  enabled: false\n", to: &configured)
        XCTAssertFalse(configured.metricsEnabled)
        try await InMemoryServer.with({ $0 = configured }) { server in
            _ = try await server.bedrock.invokeModel(Self.claude, body: Self.prompt)
            let response = try await server.send(TestRequest(service: .admin, method: "GET", target: "/_understudy/metrics"))
            XCTAssertEqual(response.status, 404)
            XCTAssertEqual(response.header("x-amzn-ErrorType"), "NotFound")
            XCTAssertEqual(try response.json()["message"], "Metrics are off (metrics.enabled: false or --no-metrics)")
        }
    }

    func testTheSwitchIsCheckedLikeEveryOtherKey() throws {
        var configuration = ServerConfiguration()
        XCTAssertTrue(configuration.metricsEnabled)
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "metrics:\n  enabled: sometimes\n", to: &configuration)) {
            XCTAssertEqual(($0 as? ConfigurationError)?.message, "understudy.yml: metrics.enabled must be true or false")
        }
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "metrics:\n  port: 9090\n", to: &configuration)) {
            XCTAssertEqual(($0 as? ConfigurationError)?.message, "understudy.yml: unknown key 'metrics.port' (allowed: enabled)")
        }
    }

    static func scrape(_ server: TestServer) async throws -> [String: Double] {
        samples(try await server.send(TestRequest(service: .admin, method: "GET", target: "/_understudy/metrics")).text)
    }

    /// Each sample line of an exposition, `name{labels}` to its value.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return samples
    }
}
