import AWSWire
import JSONCore
@testable import BedrockService
import RequestStages
import ServiceKit
import XCTest

@testable import UnderstudyServer

final class PipelineTests: XCTestCase {
    let credentials = SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")

    func testCatalogThroughThePipeline() async throws {
        let harness = try PipelineHarness()
        let response = await harness.send("GET", "/foundation-models?byProvider=Anthropic", sign: (credentials, "eu-west-1", "bedrock"))
        XCTAssertEqual(response.status, 200)
        let models = response.json?["modelSummaries"]?.arrayValue ?? []
        XCTAssertFalse(models.isEmpty)
        XCTAssertTrue(models.allSatisfy { $0["modelArn"]?.stringValue?.hasPrefix("arn:aws:bedrock:eu-west-1::") == true })
        XCTAssertNotNil(response.header("x-amzn-RequestId"))
    }

    func testModelIdentifierWithEncodedColonIsOnePathSegment() async throws {
        let harness = try PipelineHarness()
        let response = await harness.send("GET", "/foundation-models/anthropic.claude-v2%3A1")
        XCTAssertEqual(response.json?["modelDetails"]?["modelId"], "anthropic.claude-v2:1")
        let arn = await harness.send("GET", "/foundation-models/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fanthropic.claude-v2%3A1")
        XCTAssertEqual(arn.status, 200)
    }

    func testStrictModeVerifiesOurOwnSigner() async throws {
        let harness = try PipelineHarness {
            $0.authMode = .strict
            $0.credentials = [SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")]
        }
        let signed = await harness.send("GET", "/inference-profiles", sign: (credentials, "us-east-1", "bedrock"))
        XCTAssertEqual(signed.status, 200)

        let wrong = await harness.send("GET", "/inference-profiles", sign: (SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "nope"), "us-east-1", "bedrock"))
        XCTAssertEqual(wrong.status, 403)
        XCTAssertEqual(wrong.header("x-amzn-ErrorType")?.split(separator: ":").first, "InvalidSignatureException")

        let stale = await harness.send(
            "GET", "/inference-profiles", sign: (credentials, "us-east-1", "bedrock"), signedAt: harness.clock.nowSeconds() - 16 * 60)
        XCTAssertEqual(stale.json?["message"]?.stringValue, "Signature expired: 20240524T114400Z is now earlier than 20240524T114500Z (20240524T120000Z - 15 min.)")

        let sfn = await harness.send(
            "POST", "/", headers: [("X-Amz-Target", "AWSStepFunctions.ListStateMachines"), ("Content-Type", "application/x-amz-json-1.0")],
            body: Array("{}".utf8), sign: (SigV4Credentials(accessKeyId: "AKIDOTHER", secretAccessKey: "x"), "us-east-1", "states"))
        XCTAssertEqual(sfn.status, 400)
        XCTAssertEqual(sfn.json?["__type"], "com.amazon.coral.service#UnrecognizedClientException")
    }

    func testLenientAccountAndRegion() async throws {
        let harness = try PipelineHarness()
        let response = await harness.send(
            "GET", "/inference-profiles?maxResults=1",
            sign: (SigV4Credentials(accessKeyId: "111122223333", secretAccessKey: "x"), "ap-northeast-1", "bedrock"))
        let arn = response.json?["inferenceProfileSummaries"]?[0]?["inferenceProfileArn"]?.stringValue
        XCTAssertTrue(arn?.hasPrefix("arn:aws:bedrock:ap-northeast-1:111122223333:inference-profile/apac.") == true, arn ?? "nil")
        XCTAssertNotNil(response.json?["nextToken"])
        let entry = harness.pipeline.journal.recent(limit: 1)[0]
        XCTAssertEqual(entry.account, "111122223333")
        XCTAssertEqual(entry.operation, "ListInferenceProfiles")
    }

    func testStepFunctionsFraming() async throws {
        let harness = try PipelineHarness()
        let sfnHeaders = [("X-Amz-Target", "AWSStepFunctions.DescribeExecution"), ("Content-Type", "application/x-amz-json-1.0")]
        let missingMember = await harness.send("POST", "/", headers: sfnHeaders, body: Array("{}".utf8))
        XCTAssertEqual(missingMember.status, 400)
        XCTAssertEqual(missingMember.json?["__type"], "com.amazon.coral.validate#ValidationException")
        let activities = await harness.send(
            "POST", "/", headers: [("X-Amz-Target", "AWSStepFunctions.ListActivities"), ("Content-Type", "application/x-amz-json-1.0")],
            body: Array("{}".utf8))
        XCTAssertEqual(activities.status, 200)
        XCTAssertEqual(activities.json?["activities"], [])
        let malformed = await harness.send("POST", "/", headers: sfnHeaders, body: Array("{nope".utf8))
        XCTAssertEqual(malformed.json?["__type"], "com.amazon.coral.service#SerializationException")
        let getInstead = await harness.send("GET", "/", headers: sfnHeaders)
        XCTAssertEqual(getInstead.json?["__type"], "com.amazon.coral.service#UnknownOperationException")
    }

    func testAdminResetClearsTheJournal() async throws {
        let harness = try PipelineHarness()
        _ = await harness.send("GET", "/foundation-models")
        XCTAssertFalse(harness.pipeline.journal.recent().isEmpty)
        let reset = await harness.send("POST", "/_understudy/reset", headers: [("Content-Type", "application/json")])
        XCTAssertEqual(reset.status, 200)
        XCTAssertEqual(harness.pipeline.journal.recent().map(\.operation), ["Reset"])
        let wrongMethod = await harness.send("DELETE", "/_understudy/health")
        XCTAssertEqual(wrongMethod.status, 405)
    }

    func testRequestIdsFollowTheSeed() async throws {
        let a = try PipelineHarness { $0.seed = 42 }
        let b = try PipelineHarness { $0.seed = 42 }
        XCTAssertEqual((0..<3).map { _ in a.pipeline.nextRequestId() }, (0..<3).map { _ in b.pipeline.nextRequestId() })
        XCTAssertNotEqual(try PipelineHarness { $0.seed = 43 }.pipeline.nextRequestId(), try PipelineHarness { $0.seed = 42 }.pipeline.nextRequestId())
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
