import AWSWire
import Foundation
import JSONCore
import Recording
import XCTest

/// Nothing secret reaches a cassette file, whichever part of the traffic carried it.
final class RedactionTests: XCTestCase {
    static let canarySecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1"
    static let canaryToken = "IQoJb3JpZ2luX2VjECANARYTOKENxyzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
    static let realAccount = "111122223333"

    /// An interaction carrying the canaries everywhere traffic can: headers, presigned query,
    /// path, JSON and text bodies, stream frames and a chunk's decoded bytes.
    func leakyInteraction() throws -> RecordedInteraction {
        let secret = Self.canarySecret, token = Self.canaryToken, account = Self.realAccount
        let arn = "arn:aws:states:us-east-1:\(account):stateMachine:Demo"
        let requestBody: JSONValue = ["stateMachineArn": .string(arn), "input": .string("{\"apiKey\":\"\(secret)\"}"), "inputText": "private notes"]
        let inner: JSONValue = ["type": "content_block_delta", "delta": ["type": "text_delta", "text": .string("token is \(token)")]]
        let chunk = EventStreamMessage.event("chunk", payload: (["bytes": .string(Base64.encode(inner.jsonBytes)), "p": "abcdef"] as JSONValue).jsonBytes)
        let plain = EventStreamMessage.event("metadata", payload: (["note": .string("secret \(secret)"), "inputText": "more private"] as JSONValue).jsonBytes)
        return RecordedInteraction(
            service: "states", operation: "StartExecution", resource: arn,
            request: RecordedRequest(
                method: "POST", path: "/executions/\(account)",
                query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101&X-Amz-Security-Token=\(token)&X-Amz-Signature=abc123&keep=1",
                headers: [
                    ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/states/aws4_request, Signature=\(secret)"),
                    ("X-Amz-Security-Token", token), ("Cookie", "session=\(token)"), ("X-Amz-Date", "20260101T000000Z"),
                    ("X-Amz-Target", "AWSStepFunctions.StartExecution"), ("Content-Type", "application/x-amz-json-1.0"),
                    ("X-Api-Key", secret), ("User-Agent", "Boto3/1.40"),
                ],
                body: requestBody.jsonBytes),
            response: RecordedResponse(
                status: 200,
                headers: [RecordedHeader("Set-Cookie", "sid=\(token)"), RecordedHeader("Content-Type", "application/json"), RecordedHeader("Content-Length", "999")],
                body: RecordedBody(capturing: Array("{\"executionArn\": \"\(arn):x\", \"echo\": \"\(secret)\"}".utf8)),
                frames: [RecordedFrame(message: chunk, offsetMillis: 0), RecordedFrame(message: plain, offsetMillis: 5)]))
    }

    func redactor() throws -> Redactor {
        var rules = RedactionRules(
            rules: [try RedactionRule.parse("/IQoJ[A-Za-z0-9+\\/=]+/"), try RedactionRule.parse("$.inputText", placeholder: "<private>")],
            accounts: try AccountMapping([(real: Self.realAccount, placeholder: nil)]))
        rules.addSecrets([Self.canarySecret])
        return Redactor(rules)
    }

    func testCanariesAppearInNoByteOfAnyFile() throws {
        let directory = try CassetteSamples.directory(for: self)
        let writer = try CassetteWriter(directory: directory, redactor: try redactor())
        let appended = try writer.append(try leakyInteraction())
        let files = try CassetteSamples.allBytes(in: directory)
        XCTAssertEqual(files.map(\.name), ["0001-states-StartExecution.json", "index.json"])
        for (name, bytes) in files {
            let text = String(decoding: bytes, as: UTF8.self)
            for canary in [Self.canarySecret, Self.canaryToken, Self.realAccount, "AKIAIOSFODNN7EXAMPLE", "abc123", "private notes", "more private"] {
                XCTAssertFalse(text.contains(canary), "\(canary) in \(name)")
            }
            XCTAssertFalse(text.lowercased().contains("authorization"), name)
            XCTAssertFalse(text.lowercased().contains("cookie"), name)
        }
        // And the verifier, told of the canary, agrees.
        let verification = CassetteVerifier(scanner: SecretScanner(secrets: [Self.canarySecret, Self.canaryToken])).verify(directory: directory)
        XCTAssertEqual(verification.problems, [])
        XCTAssertEqual(verification.interactions, 1)

        // What is kept is kept: the headers that matter, the rest of the query, placeholders.
        let kept = appended.interaction
        XCTAssertEqual(kept.request.headers.map(\.name), ["X-Amz-Target", "Content-Type"])
        XCTAssertEqual(kept.request.query, "keep=1")
        XCTAssertEqual(kept.request.path, "/executions/123456789012")
        XCTAssertEqual(kept.resource, "arn:aws:states:us-east-1:123456789012:stateMachine:Demo")
        XCTAssertEqual(kept.request.body.jsonValue?["inputText"], "<private>")
        XCTAssertEqual(kept.request.body.jsonValue?["input"], "{\"apiKey\":\"REDACTED\"}")
        XCTAssertEqual(kept.response.headers.map(\.name), ["Content-Type", "Content-Length"])
        XCTAssertEqual(kept.response.headers.value(of: "content-length"), String(kept.response.body.bytes.count), "the length follows the body")
        XCTAssertEqual(kept.response.frames?[0].chunkEvent?["delta"]?["text"], "token is REDACTED")
        XCTAssertEqual(kept.response.frames?[1].payload.jsonValue?["inputText"], "<private>", "paths apply inside frames")
        // A redacted frame still decodes (fresh CRCs) and still carries base64 bytes on the wire.
        let wire = try EventStreamDecoder.decodeAll(try kept.response.frames![0].encoded())
        let innerBytes = Base64.decode(try JSONParser.parse(wire[0].payload)["bytes"]!.stringValue!)!
        XCTAssertEqual(try JSONParser.parse(innerBytes)["delta"]?["text"], "token is REDACTED")
    }

    func testARunawayPatternStopsAndFailsClosed() throws {
        let rules = RedactionRules(rules: [try RedactionRule.parse("(a+)+$")], regexSteps: 100_000)
        let text = String(repeating: "a", count: 40) + "!"
        let interaction = RecordedInteraction(
            service: "s3", operation: "PutObject", resource: "b/k",
            request: RecordedRequest(method: "PUT", path: "/b/k", query: "", headers: [], body: Array(text.utf8)),
            response: RecordedResponse(status: 200))
        let started = ContinuousClock.now
        let result = Redactor(rules).redact(interaction)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        XCTAssertEqual(result.interaction.request.body, .text("REDACTED"), "the text it could not check is replaced whole")
        XCTAssertEqual(result.notes.count, 1)
        XCTAssertTrue(result.notes[0].contains("(a+)+$"), result.notes[0])
        // An ordinary pattern over a large body is not cut short by the same budget.
        let large = String(repeating: "lorem ipsum dolor sit amet ", count: 20_000) + "sk-live-123"
        let ordinary = Redactor(RedactionRules(rules: [try RedactionRule.parse("sk-live-[0-9]+")], regexSteps: 100_000))
        let big = RecordedInteraction(
            service: "s3", operation: "PutObject", request: RecordedRequest(method: "PUT", path: "/b/k", query: "", headers: [], body: Array(large.utf8)),
            response: RecordedResponse(status: 200))
        let redactedBig = ordinary.redact(big)
        XCTAssertEqual(redactedBig.notes, [])
        guard case .text(let kept) = redactedBig.interaction.request.body else { return XCTFail() }
        XCTAssertTrue(kept.hasSuffix("amet REDACTED"))
    }

    func testAccountsMapBackToTheReplayingCaller() throws {
        let mapping = try AccountMapping([(real: "111122223333", placeholder: "123456789012")])
        let recorded = CassetteSamples.describeExecution(arn: "arn:aws:states:us-east-1:123456789012:execution:M:run", status: "RUNNING")
        let redactor = Redactor(RedactionRules(accounts: mapping))
        let back = redactor.mapAccounts(in: recorded, mapping.restoring(as: "000000000000"))
        XCTAssertEqual(back.response.body.jsonValue?["executionArn"], "arn:aws:states:us-east-1:000000000000:execution:M:run")
        XCTAssertEqual(back.resource, "arn:aws:states:us-east-1:000000000000:execution:M:run")
        let original = redactor.mapAccounts(in: recorded, mapping.restoring(as: nil))
        XCTAssertEqual(original.resource, "arn:aws:states:us-east-1:111122223333:execution:M:run")
        // Only whole 12-digit runs: a longer number is left alone.
        XCTAssertEqual(redactor.redact(CassetteSamples.describeExecution(arn: "x-1111222233334-111122223333", status: "S")).interaction.resource,
            "x-1111222233334-123456789012")
        XCTAssertThrowsError(try AccountMapping([(real: "12345", placeholder: nil)]))
    }

    func testRuleParsing() throws {
        guard case .path(let path, let placeholder) = try RedactionRule.parse("$.a.b") else { return XCTFail() }
        XCTAssertEqual(path.source, "$.a.b")
        XCTAssertEqual(placeholder, "REDACTED")
        let caseless = Redactor(RedactionRules(rules: [try RedactionRule.parse("/secret/i", placeholder: "x")]))
        let shouted = caseless.redact(CassetteSamples.describeExecution(arn: "a-SeCrEt-b", status: "S")).interaction
        XCTAssertEqual(shouted.resource, "a-x-b", "/…/i is a case-insensitive pattern")
        XCTAssertThrowsError(try RedactionRule.parse("(unclosed")) { XCTAssertTrue("\($0)".contains("(unclosed"), "\($0)") }
        XCTAssertThrowsError(try RedactionRule.parse("$.a[x]"))
        XCTAssertThrowsError(try RedactionRule.parse(""))
    }

    func testRequestHeadersAreKeptByName() {
        let selection = HeaderSelection.requestDefault.adding(["X-Custom", "Authorization"])
        XCTAssertTrue(selection.keeps("X-Amzn-Bedrock-GuardrailIdentifier"))
        XCTAssertTrue(selection.keeps("x-amz-meta-owner"))
        XCTAssertTrue(selection.keeps("x-custom"))
        XCTAssertFalse(selection.keeps("Authorization"), "a configuration can never keep a credential header")
        XCTAssertFalse(selection.keeps("X-Amz-Content-SHA256"))
        XCTAssertFalse(selection.keeps("amz-sdk-invocation-id"))
    }
}
