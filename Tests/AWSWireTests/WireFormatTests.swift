import AWSWire
import JSONCore
import XCTest

final class WireFormatTests: XCTestCase {
    func testJavaStyleEpochSeconds() {
        XCTAssertEqual(AWSTimestamp.epochSecondsNumber(epochMillis: 1_686_509_515_191).jsonString, "1.686509515191E9")
        XCTAssertEqual(AWSTimestamp.epochSecondsNumber(epochMillis: 1_686_509_515_000).jsonString, "1.686509515E9")
        XCTAssertEqual(AWSTimestamp.javaDoubleString(0.5), "0.5")
        XCTAssertEqual(AWSTimestamp.javaDoubleString(100), "100.0")
        XCTAssertEqual(AWSTimestamp.javaDoubleString(1e-4), "1.0E-4")
        XCTAssertEqual(AWSTimestamp.javaDoubleString(12345678), "1.2345678E7")
    }

    /// Epoch seconds are written from the integer for this era's times; they must read as
    /// Java's `Double.toString` of the same value does, edges and zeros included.
    func testEpochSecondsFromTheIntegerMatchJavaDoubleString() {
        var generator = SystemRandomNumberGenerator()
        var millis: [Int64] = [10_000_000_000, 12_345_678_901, 1_000_000_000_000, 1_700_000_000_000, 1_700_000_000_010, 999_999_999_999_999, 9_999_999_999, 1_000_000_000_000_000]
        for _ in 0..<2_000 { millis.append(Int64.random(in: 10_000_000_000..<1_000_000_000_000_000, using: &generator)) }
        for _ in 0..<200 { millis.append(Int64.random(in: 0..<Int64.max / 4, using: &generator)) }
        for value in millis {
            let expected = AWSTimestamp.javaDoubleString(Double(value) / 1000)
            XCTAssertEqual(AWSTimestamp.epochSecondsNumber(epochMillis: value).jsonString, expected, "\(value)")
        }
    }

    func testTimestampForms() {
        XCTAssertEqual(AWSTimestamp.iso8601(epochMillis: 1_704_164_645_678), "2024-01-02T03:04:05.678Z")
        XCTAssertEqual(AWSTimestamp.epochMillis(iso8601: "2024-01-02T03:04:05.678Z"), 1_704_164_645_678)
        XCTAssertEqual(AWSTimestamp.epochMillis(iso8601: "2024-01-02T03:04:05.678000Z"), 1_704_164_645_678)
        XCTAssertEqual(AWSTimestamp.epochMillis(iso8601: "2024-01-02T04:04:05+01:00"), 1_704_164_645_000)
        XCTAssertNil(AWSTimestamp.epochMillis(iso8601: "2024-01-02T03:04:05"))
        XCTAssertEqual(AWSTimestamp.amzDate(epochSeconds: 1_440_938_160), "20150830T123600Z")
        XCTAssertEqual(AWSTimestamp.httpDate(epochSeconds: 784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(AWSTimestamp.amzDate(fromHTTPDate: "Sun, 06 Nov 1994 08:49:37 GMT"), "19941106T084937Z")
    }

    func testBase64AndCRC() {
        XCTAssertEqual(Base64.encode(Array("foobar".utf8)), "Zm9vYmFy")
        XCTAssertEqual(Base64.encode(Array("fooba".utf8)), "Zm9vYmE=")
        XCTAssertEqual(Base64.decode("Zm9vYg==").map { String(decoding: $0, as: UTF8.self) }, "foob")
        XCTAssertNil(Base64.decode("Zm9v!"))
        XCTAssertEqual(Digest.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(Digest.sha256Hex(""), SigV4.emptyPayloadHash)
    }

    func testErrorFraming() throws {
        let sfn = AWSJSON10.error(
            AWSServiceError(code: "StateMachineDoesNotExist", message: "State Machine Does Not Exist: 'x'", namespace: "com.amazonaws.swf.service.v2.model"),
            requestId: "r")
        XCTAssertEqual(sfn.status, 400)
        XCTAssertEqual(String(decoding: sfn.body, as: UTF8.self),
            #"{"__type":"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist","message":"State Machine Does Not Exist: 'x'"}"#)
        let bedrock = RestJSON1.error(AWSServiceError(code: "ThrottlingException", message: "Too many requests", status: 429), requestId: "r", errorTypeSuffix: ":http://internal.amazon.com/coral/com.amazon.bedrock/")
        XCTAssertEqual(bedrock.header("x-amzn-ErrorType"), "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
        XCTAssertEqual(bedrock.status, 429)
    }

    func testServiceResolution() {
        func resolve(_ method: String, _ target: String, _ headers: [(String, String)]) -> AWSService {
            let parts = HTTPRequestParts(method: method, target: target, headers: headers.map { (name: $0.0, value: $0.1) })
            return ServiceResolver.resolve(method: method, path: parts.path, query: parts.query, header: parts.header)
        }
        let scope = { (s: String) in ("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240524/us-east-1/\(s)/aws4_request, SignedHeaders=host, Signature=00") }
        XCTAssertEqual(resolve("GET", "/foundation-models", [scope("bedrock")]), .bedrock)
        XCTAssertEqual(resolve("GET", "/foundation-models", [scope("s3")]), .s3)
        XCTAssertEqual(resolve("POST", "/model/anthropic.claude-v2%3A1/invoke", [scope("bedrock")]), .bedrockRuntime)
        XCTAssertEqual(resolve("POST", "/", [scope("states"), ("Host", "sync-localhost:4566")]), .states)
        XCTAssertEqual(resolve("POST", "/", [("X-Amz-Target", "AWSStepFunctions.ListStateMachines")]), .states)
        XCTAssertEqual(resolve("POST", "/model/x/converse", [("Authorization", "Bearer abc")]), .bedrockRuntime)
        XCTAssertEqual(resolve("GET", "/_understudy/health", []), .admin)
        XCTAssertEqual(resolve("GET", "/bucket/key", [("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")]), .s3)
        XCTAssertEqual(resolve("GET", "/inference-profiles", []), .bedrock)
    }

    func testPathSegmentsSplitBeforeDecoding() {
        let segments = URIEncoding.pathSegments("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-haiku-20240307-v1%3A0/converse")
        XCTAssertEqual(segments, ["model", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0", "converse"])
        XCTAssertEqual(SigV4.canonicalURI("/model/a%3A0/invoke", mode: .normalizedDoubleEncoded), "/model/a%253A0/invoke")
        XCTAssertEqual(SigV4.canonicalURI("/bucket/a%3A0", mode: .raw), "/bucket/a%3A0")
    }

    func testARN() {
        let arn = ARN("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1")!
        XCTAssertEqual(arn.account, "")
        XCTAssertEqual(arn.slashResource?.id, "anthropic.claude-v2:1")
        XCTAssertEqual(arn.description, "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1")
        XCTAssertNil(ARN("arn:aws:bedrock"))
    }

    /// Two gzip members (as `gzip` concatenates files) made by Python's gzip with mtime 0.
    func testGzipMembersInflateAndDamageIsRefused() throws {
        let members: [UInt8] = [
            31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 87, 0, 0, 246, 249, 129, 237, 6, 0, 0, 0,
            31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 43, 207, 47, 202, 73, 1, 0, 67, 17, 119, 58, 5, 0, 0, 0,
        ]
        XCTAssertTrue(GzipDecoder.isGzip(members))
        XCTAssertEqual(String(decoding: try GzipDecoder.decompress(members), as: UTF8.self), "hello world")
        XCTAssertThrowsError(try GzipDecoder.decompress(Array(members.prefix(20))))
        XCTAssertThrowsError(try GzipDecoder.decompress(Array("plain text".utf8)))
        XCTAssertThrowsError(try GzipDecoder.decompress(members, limit: 5))
    }
}
