import AWSWire
import RequestStages
import Upstream
import XCTest

@testable import UnderstudyServer

final class ConfigurationTests: XCTestCase {
    func testYAMLLayersAndUnknownKeys() throws {
        var configuration = ServerConfiguration()
        try ConfigurationLoader.apply(
            yaml: """
                server:
                  host: 0.0.0.0
                  port: 5000
                auth:
                  mode: strict
                  credentials:
                    - accessKeyId: AKID
                      secretAccessKey: "s:e:c"
                seed: 9
                """, to: &configuration)
        XCTAssertEqual(configuration.host, "0.0.0.0")
        XCTAssertEqual(configuration.port, 5000)
        XCTAssertEqual(configuration.authMode, .strict)
        XCTAssertEqual(configuration.credentials.first?.secretAccessKey, "s:e:c")
        XCTAssertEqual(configuration.seed, 9)

        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "auth:\n  credentials:\n    - accessKeyId: a\n      secret: b\n", to: &configuration)) {
            XCTAssertTrue("\($0)".contains("unknown key 'auth.credentials[0].secret'"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "seeed: 1\n", to: &configuration)) {
            XCTAssertTrue("\($0)".contains("unknown key 'seeed'"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "server:\n  port: 70000\n", to: &configuration))
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "auth:\n  mode: maybe\n", to: &configuration))
    }

    func testEnvironment() throws {
        var configuration = ServerConfiguration()
        try ConfigurationLoader.apply(environment: ["UNDERSTUDY_PORT": "0", "UNDERSTUDY_CREDENTIALS": "A:x,B:y:z", "PATH": "/bin"], to: &configuration)
        XCTAssertEqual(configuration.port, 0)
        XCTAssertEqual(configuration.credentials.map(\.secretAccessKey), ["x", "y:z"])
        XCTAssertThrowsError(try ConfigurationLoader.apply(environment: ["UNDERSTUDY_PORTT": "1"], to: &configuration))
    }

    func testAdminToken() throws {
        var configuration = ServerConfiguration()
        try ConfigurationLoader.apply(yaml: "admin:\n  token: from-the-file\n", to: &configuration)
        XCTAssertEqual(configuration.adminToken, "from-the-file")
        try ConfigurationLoader.apply(environment: ["UNDERSTUDY_ADMIN_TOKEN": "from-the-environment"], to: &configuration)
        XCTAssertEqual(configuration.adminToken, "from-the-environment")
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "admin:\n  token: \"two words\"\n", to: &configuration)) {
            XCTAssertTrue("\($0)".contains("admin.token must be a non-empty token without spaces"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "admin:\n  tokn: x\n", to: &configuration)) {
            XCTAssertTrue("\($0)".contains("unknown key 'admin.tokn'"), "\($0)")
        }
    }

    /// Every number is range-checked at load, with an error that names it, so none reaches
    /// arithmetic that traps.
    func testNumbersOutOfRangeNameTheSetting() {
        let cases: [(yaml: String, names: String)] = [
            ("server:\n  shutdownGraceSeconds: 9223372036854775807\n", "server.shutdownGraceSeconds must be a whole number from 0 to 3600"),
            ("server:\n  maxBodyBytes: 0\n", "server.maxBodyBytes must be a whole number from 1 to"),
            ("journal:\n  size: 100000000000\n", "journal.size must be a whole number from 1 to 1000000"),
            ("timeScale: 1e300\n", "timeScale must be a number from 0 to 1000"),
            ("bedrock:\n  batch:\n    minimumRecords: -1\n", "bedrock.batch.minimumRecords must be a whole number"),
            ("bedrock:\n  latency:\n    - tokensPerSecond: 1.0e-300\n", "bedrock.latency[0]: latency.tokensPerSecond must be 0 (instant) or a number from 0.01"),
            ("bedrock:\n  latency:\n    - timeToFirstTokenMs: 9223372036854775000\n", "bedrock.latency[0]: latency.timeToFirstTokenMs must be a whole number from 0 to 3600000"),
            (
                "bedrock:\n  completions:\n    - {name: r, response: {text: hi, usage: {outputTokens: 9223372036854775807}}}\n",
                "bedrock.completions[0]: rule 'r': usage.outputTokens must be a whole number from 0 to 10000000"
            ),
            ("faults:\n  - {name: f, when: {every: 2.5}, error: {code: ThrottlingException}}\n", "faults[0]: rule 'f': when.every must be a whole number from 1"),
            (
                "faults:\n  - {name: f, when: {between: {start: '2030-01-01T00:00:00Z', end: '2020-01-01T00:00:00Z'}}, error: {code: ThrottlingException}}\n",
                "when.between.end must not be before when.between.start"
            ),
            ("rateLimits:\n  - {service: states, operation: '*', bucketSize: 1.0e12, refillPerSecond: 1}\n", "bucketSize must be a whole number from 1 to 1000000000"),
            ("quotas:\n  - {model: '*', outputBurndown: 1000, tokensPerMinute: 10}\n", "outputBurndown must be a whole number from 1 to 100"),
        ]
        for (yaml, names) in cases {
            var configuration = ServerConfiguration()
            XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: yaml, to: &configuration), yaml) {
                XCTAssertTrue("\($0)".contains(names), "\($0)")
            }
        }
        var configuration = ServerConfiguration()
        XCTAssertThrowsError(try ConfigurationLoader.apply(environment: ["UNDERSTUDY_TIME_SCALE": "1e300"], to: &configuration)) {
            XCTAssertTrue("\($0)".contains("UNDERSTUDY_TIME_SCALE must be a number from 0 to 1000"), "\($0)")
        }
    }

    func testBatchStorageEndpointTakesCredentialsAndRefusesHTTPS() throws {
        var configuration = ServerConfiguration()
        try ConfigurationLoader.apply(
            yaml: """
                bedrock:
                  batch:
                    s3:
                      endpoint: http://localhost:9000
                      region: eu-west-1
                      accessKeyId: minio
                      secretAccessKey: minio-secret
                """, to: &configuration)
        XCTAssertEqual(configuration.batchStorage?.host, "localhost")
        XCTAssertEqual(configuration.batchStorage?.region, "eu-west-1")
        XCTAssertEqual(configuration.batchStorage?.credentials.secretAccessKey, "minio-secret")
        try ConfigurationLoader.apply(yaml: "bedrock:\n  batch:\n    s3:\n      endpoint: https://s3.amazonaws.com\n      accessKeyId: a\n      secretAccessKey: b\n", to: &configuration)
        XCTAssertEqual(configuration.batchStorage?.endpoint, UpstreamEndpoint(scheme: .https, host: "s3.amazonaws.com", port: 443))
        XCTAssertThrowsError(
            try ConfigurationLoader.apply(yaml: "bedrock:\n  batch:\n    s3:\n      endpoint: ftp://s3.amazonaws.com\n      accessKeyId: a\n      secretAccessKey: b\n", to: &configuration)
        ) {
            XCTAssertTrue("\($0)".contains("must be http://host[:port] or https://host[:port], not ftp://s3.amazonaws.com"), "\($0)")
        }
    }
}
