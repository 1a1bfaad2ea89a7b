import AWSWire
import JSONCore
@testable import BedrockService
import RequestStages
import ServiceKit
import UnderstudyTesting
import XCTest

@testable import UnderstudyServer

final class PipelineTests: XCTestCase {
    let credentials = SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")

    func testCatalogThroughThePipeline() async throws {
        try await InMemoryServer.with { server in
            let response = try await server.send(
                TestRequest(service: .bedrock, method: "GET", target: "/foundation-models?byProvider=Anthropic", signing: .signed(by: credentials, region: "eu-west-1")))
            XCTAssertEqual(response.status, 200)
            let models = try response.json()["modelSummaries"]?.arrayValue ?? []
            XCTAssertFalse(models.isEmpty)
            XCTAssertTrue(models.allSatisfy { $0["modelArn"]?.stringValue?.hasPrefix("arn:aws:bedrock:eu-west-1::") == true })
            XCTAssertNotNil(response.header("x-amzn-RequestId"))
        }
    }

    func testModelIdentifierWithEncodedColonIsOnePathSegment() async throws {
        try await InMemoryServer.with { server in
            let response = try await server.send(TestRequest(service: .bedrock, method: "GET", target: "/foundation-models/anthropic.claude-v2%3A1"))
            XCTAssertEqual(try response.json()["modelDetails"]?["modelId"], "anthropic.claude-v2:1")
            let arn = try await server.send(
                TestRequest(
                    service: .bedrock, method: "GET",
                    target: "/foundation-models/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fanthropic.claude-v2%3A1"))
            XCTAssertEqual(arn.status, 200)
        }
    }

    func testStrictModeVerifiesOurOwnSigner() async throws {
        try await InMemoryServer.with({
            $0.authMode = .strict
            $0.credentials = [SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")]
        }) { server in
            let profiles = TestRequest(service: .bedrock, method: "GET", target: "/inference-profiles")
            let signed = try await server.send(profiles.signed(.signed(by: credentials)))
            XCTAssertEqual(signed.status, 200)

            let wrong = try await server.send(profiles.signed(.signed(by: SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "nope"))))
            XCTAssertEqual(wrong.status, 403)
            XCTAssertEqual(wrong.header("x-amzn-ErrorType")?.split(separator: ":").first, "InvalidSignatureException")

            let stale = try await server.send(profiles.signed(.signed(by: credentials, at: InMemoryServer.pinnedMillis / 1000 - 16 * 60)))
            XCTAssertEqual(
                try stale.json()["message"]?.stringValue,
                "Signature expired: 20240524T114400Z is now earlier than 20240524T114500Z (20240524T120000Z - 15 min.)")

            let sfn = try await server.send(
                TestRequest.stepFunctions("ListStateMachines", [:]).signed(.signed(by: SigV4Credentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x"))))
            XCTAssertEqual(sfn.status, 400)
            XCTAssertEqual(try sfn.json()["__type"], "com.amazon.coral.service#UnrecognizedClientException")
        }
    }

    func testLenientAccountAndRegion() async throws {
        try await InMemoryServer.with { server in
            let response = try await server.send(
                TestRequest(
                    service: .bedrock, method: "GET", target: "/inference-profiles?maxResults=1",
                    signing: .signed(by: SigV4Credentials(accessKeyId: "111122223333", secretAccessKey: "x"), region: "ap-northeast-1")))
            let arn = try response.json()["inferenceProfileSummaries"]?[0]?["inferenceProfileArn"]?.stringValue
            XCTAssertTrue(arn?.hasPrefix("arn:aws:bedrock:ap-northeast-1:111122223333:inference-profile/apac.") == true, arn ?? "nil")
            XCTAssertNotNil(try response.json()["nextToken"])
            let entry = try await server.journal.entries().last
            XCTAssertEqual(entry?.account, "111122223333")
            XCTAssertEqual(entry?.operation, "ListInferenceProfiles")
        }
    }

    func testStepFunctionsFraming() async throws {
        try await InMemoryServer.with { server in
            let missingMember = try await server.send(.stepFunctions("DescribeExecution", [:]))
            XCTAssertEqual(missingMember.status, 400)
            XCTAssertEqual(try missingMember.json()["__type"], "com.amazon.coral.validate#ValidationException")
            let activities = try await server.send(.stepFunctions("ListActivities", [:]))
            XCTAssertEqual(activities.status, 200)
            XCTAssertEqual(try activities.json()["activities"], [])
            var malformed = TestRequest.stepFunctions("DescribeExecution", [:])
            malformed.body = Array("{nope".utf8)
            let malformedType = try await server.send(malformed).json()["__type"]
            XCTAssertEqual(malformedType, "com.amazon.coral.service#SerializationException")
            var getInstead = TestRequest.stepFunctions("DescribeExecution", [:])
            getInstead.method = "GET"
            getInstead.body = []
            let getType = try await server.send(getInstead).json()["__type"]
            XCTAssertEqual(getType, "com.amazon.coral.service#UnknownOperationException")
        }
    }

    func testAdminResetClearsTheJournal() async throws {
        try await InMemoryServer.with { server in
            _ = try await server.send(TestRequest(service: .bedrock, method: "GET", target: "/foundation-models"))
            let listed = try await server.journal.calls(operation: "ListFoundationModels").count
            XCTAssertEqual(listed, 1)
            let reset = try await server.send(TestRequest(service: .admin, method: "POST", target: "/_understudy/reset", headers: [("Content-Type", "application/json")]))
            XCTAssertEqual(reset.status, 200)
            // The journal lists itself being read; the reset is the one entry before that.
            let firstLeft = try await server.journal.entries().map(\.operation).first
            XCTAssertEqual(firstLeft, "Reset")
            let wrongMethod = try await server.send(TestRequest(service: .admin, method: "DELETE", target: "/_understudy/health"))
            XCTAssertEqual(wrongMethod.status, 405)
        }
    }

    func testRequestIdsFollowTheSeed() async throws {
        func pipeline(seed: UInt64) throws -> RequestPipeline {
            var configuration = ServerConfiguration()
            configuration.seed = seed
            return try RequestPipeline(configuration: configuration)
        }
        let a = try pipeline(seed: 42)
        let b = try pipeline(seed: 42)
        XCTAssertEqual((0..<3).map { _ in a.nextRequestId() }, (0..<3).map { _ in b.nextRequestId() })
        XCTAssertNotEqual(try pipeline(seed: 43).nextRequestId(), try pipeline(seed: 42).nextRequestId())
    }
}

/// The hand-written identifier checks agree with the model's regular expressions.
final class IdentifierPatternTests: XCTestCase {
    func testAgreesWithTheModelPatterns() async throws {
        let models = [
            "anthropic.claude-v2", "anthropic.claude-v2:1", "anthropic.claude-3-haiku-20240307-v1:0:48k", "amazon.titan-embed-text-v2:0",
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1", "us.anthropic.claude-3-haiku-20240307-v1:0",
            "NOT A MODEL", "anthropic", "a.b.c.d.e", "anthropic.claude:1:2:3", "arn:aws:bedrock:us-east-1:123456789012:foundation-model/a.b",
            "Anthropic.claude-v2", "a..b", "arn:aws:s3:::bucket", "",
        ]
        for id in models {
            let regex = try Regex(BedrockControlFrontEnd.modelIdentifierPattern)
            XCTAssertEqual(BedrockIdentifierPattern.isModelIdentifier(id), (try? regex.wholeMatch(in: id)) != nil, id)
        }
        let profiles = [
            "us.anthropic.claude-3-haiku-20240307-v1:0", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-v2",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123", "arn:aws:bedrock:::inference-profile/x",
            "has space", "arn:aws:bedrock:us-east-1:12345:inference-profile/x", "arn:aws:bedrock:us-east-1:123456789012:model/x", "",
        ]
        for id in profiles {
            let regex = try Regex(BedrockControlFrontEnd.profileIdentifierPattern)
            XCTAssertEqual(BedrockIdentifierPattern.isInferenceProfileIdentifier(id), (try? regex.wholeMatch(in: id)) != nil, id)
        }
    }
}
