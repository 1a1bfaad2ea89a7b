import AWSWire
import Forwarding
import JSONCore
import Foundation
import VectorSupport
import XCTest

/// Re-signing checked against botocore: each forwarded request must equal, header for header
/// and `Authorization` byte for byte, the request botocore itself sends to AWS.
final class RequestResignerTests: XCTestCase {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "CANARY-SESSION-TOKEN/forwarding+test==", source: .supplied)
    /// 2024-05-24T12:00:00Z, botocore's frozen clock.
    static let time: Int64 = 1_716_552_000

    func forward(
        method: String, target: String, headers: [(String, String)], body: [UInt8], service: AWSService, operation: String,
        endpoints: UpstreamEndpoints = UpstreamEndpoints()
    ) throws -> ForwardedRequest {
        let request = HTTPRequestParts(method: method, target: target, headers: headers.map { (name: $0.0, value: $0.1) })
        let endpoint = try endpoints.endpoint(service: service, operation: operation, region: "us-east-1")
        return try RequestResigner.resign(
            request, body: body, service: service, region: "us-east-1", endpoint: endpoint, credentials: Self.credentials, epochSeconds: Self.time)
    }

    /// Every header botocore sent is there with its value; the only others are the unsigned
    /// `User-Agent` the client sent.
    func assertMatches(_ forwarded: ForwardedRequest, _ expected: [(String, String)], body: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        for (header, value) in expected {
            XCTAssertEqual(forwarded.header(header), value, "\(name): \(header)", file: file, line: line)
        }
        let expectedNames = Set(expected.map { $0.0.lowercased() })
        let extra = forwarded.headers.map { $0.name.lowercased() }.filter { !expectedNames.contains($0) && $0 != "user-agent" }
        XCTAssertEqual(extra, [], "\(name): headers botocore did not send", file: file, line: line)
        XCTAssertEqual(forwarded.headers.count, Set(forwarded.headers.map { $0.name.lowercased() }).count, "\(name): a header twice", file: file, line: line)
        XCTAssertEqual(forwarded.body, body, "\(name): body", file: file, line: line)
    }

    func service(for pair: BotocorePair) -> (AWSService, String) {
        switch pair.name {
        case "bedrock_invoke": return (.bedrockRuntime, "InvokeModel")
        case "bedrock_converse_stream_arn": return (.bedrockRuntime, "ConverseStream")
        case "bedrock_list_models": return (.bedrock, "ListFoundationModels")
        case "states_start_sync": return (.states, "StartSyncExecution")
        case "states_list": return (.states, "ListStateMachines")
        case "s3_put_plain", "s3_put_chunked": return (.s3, "PutObject")
        case "s3_get": return (.s3, "GetObject")
        default: fatalError("no service for \(pair.name)")
        }
    }

    func testForwardedRequestsAreTheOnesBotocoreSendsToAWS() throws {
        var checked = 0
        for pair in BotocorePair.all {
            let (service, operation) = service(for: pair)
            let forwarded = try forward(
                method: pair.method, target: pair.clientTarget, headers: pair.clientHeaders, body: Array(pair.clientBody.utf8), service: service,
                operation: operation)
            // The S3 uploads were captured over plain http to get botocore's plain-body shape;
            // the forwarder always goes to AWS over https, which the signature does not cover.
            XCTAssertEqual(forwarded.url, pair.upstreamURL.replacingOccurrences(of: "http://", with: "https://"), pair.name)
            XCTAssertEqual(forwarded.method, pair.method, pair.name)
            XCTAssertEqual(
                forwarded.header("Authorization"), pair.upstreamHeaders.first { $0.0 == "Authorization" }?.1, "\(pair.name): the signature")
            assertMatches(forwarded, pair.upstreamHeaders, body: Array(pair.upstreamBody.utf8), pair.name)
            // The client's own signature is nowhere in what goes up.
            let clientSignature = pair.clientHeaders.first { $0.0 == "Authorization" }!.1
            XCTAssertFalse(forwarded.headers.contains { $0.value == clientSignature }, pair.name)
            checked += 1
        }
        XCTAssertEqual(checked, 8)
    }

    /// STREAMING-AWS4-HMAC-SHA256-PAYLOAD: the S3 reference example (Tests/Fixtures
    /// vectors/sigv4/s3-streaming.json), 66,560 bytes of `a` in chunks of 64 KiB and 1 KiB, as a
    /// client would send it to Understudy. Expected headers from botocore:
    ///
    /// ```python
    /// r = AWSRequest(method="PUT", url="https://s3.us-east-1.amazonaws.com/examplebucket/chunkObject.txt",
    ///                headers={"x-amz-storage-class": "REDUCED_REDUNDANCY"}, data=b"a" * 66560)
    /// botocore.auth.S3SigV4Auth(Credentials(AKID, SECRET, TOKEN), "s3", "us-east-1").add_auth(r)
    /// ```
    /// (same credentials and frozen clock as `BotocorePair`).
    func testSignedChunkedUploadGoesUpPlain() throws {
        let vector = try Fixtures.json("vectors/sigv4/s3-streaming.json")["signed_chunked"]!
        var body: [UInt8] = []
        for chunk in vector["chunks"]!.arrayValue! {
            let size = chunk["size"]!.intValue!
            body += Array("\(String(size, radix: 16));chunk-signature=\(chunk["signature"]!.stringValue!)\r\n".utf8)
            body += [UInt8](repeating: UInt8(ascii: "a"), count: size) + Array("\r\n".utf8)
        }
        XCTAssertEqual(body.count, 66824)
        var headers = vector["request"]!["headers"]!.arrayValue!.map { ($0[0]!.stringValue!, $0[1]!.stringValue!) }
        headers = headers.map { $0.0 == "Host" ? ("Host", "localhost:4566") : $0 }
        headers.append(("Authorization", vector["seed"]!["authorization"]!.stringValue!))
        let forwarded = try forward(method: "PUT", target: "/examplebucket/chunkObject.txt", headers: headers, body: body, service: .s3, operation: "PutObject")
        XCTAssertEqual(forwarded.url, "https://s3.us-east-1.amazonaws.com/examplebucket/chunkObject.txt")
        assertMatches(
            forwarded,
            [
                ("Host", "s3.us-east-1.amazonaws.com"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "cd69d3887c6af9264b100d7b7602331335d9aa7e3bd7c30cdc6d6f4bfbb3c888"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-storage-class, Signature=e2afb1175d22c8c957d20332faf068a10904a3ca8b76a6aaa6136fe3af284a18"
                ),
                ("Content-Length", "66560"),
            ], body: [UInt8](repeating: UInt8(ascii: "a"), count: 66560), "signed chunked")
    }

    /// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with a CRC32 trailer and a trailer signature,
    /// `Content-Encoding: aws-chunked,gzip`: the trailer becomes a header, the trailer
    /// signature goes, `gzip` stays. Expected from botocore as above with
    /// `headers={"Content-Encoding": "gzip", "Content-Type": "text/plain",
    /// "x-amz-sdk-checksum-algorithm": "CRC32", "x-amz-checksum-crc32": "DUoRhQ=="}` and
    /// `data=b"hello world"`.
    func testSignedTrailerBecomesAChecksumHeader() throws {
        let signature = String(repeating: "0", count: 64)
        let body = Array(
            "5;chunk-signature=\(signature)\r\nhello\r\n6;chunk-signature=\(signature)\r\n world\r\n0;chunk-signature=\(signature)\r\nx-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:\(signature)\r\n\r\n"
                .utf8)
        let headers = [
            ("Host", "localhost:4566"), ("Content-Encoding", "aws-chunked,gzip"), ("Content-Type", "text/plain"),
            ("x-amz-sdk-checksum-algorithm", "CRC32"), ("X-Amz-Trailer", "x-amz-checksum-crc32"),
            ("X-Amz-Decoded-Content-Length", "11"), ("X-Amz-Content-SHA256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
            ("Content-Length", String(body.count)), ("Expect", "100-continue"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=test/20240524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=\(signature)"),
        ]
        let forwarded = try forward(method: "PUT", target: "/batch/greeting.txt.gz", headers: headers, body: body, service: .s3, operation: "PutObject")
        assertMatches(
            forwarded,
            [
                ("Host", "s3.us-east-1.amazonaws.com"),
                ("Content-Encoding", "gzip"),
                ("Content-Type", "text/plain"),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("x-amz-checksum-crc32", "DUoRhQ=="),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
                (
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=content-encoding;content-type;host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-sdk-checksum-algorithm;x-amz-security-token, Signature=bcceb01468813a0734496ce756e6d0bd9332f8e4429c57ec90260ca42fff71ea"
                ),
                ("Content-Length", "11"),
            ], body: Array("hello world".utf8), "signed trailer")
    }

    /// A trailer checksum with no `x-amz-sdk-checksum-algorithm` gets one named after it.
    func testMovedChecksumNamesItsAlgorithm() throws {
        let body = Array("2\r\nhi\r\n0\r\nx-amz-checksum-sha256:j0NDRmSPa5bfid2pAcUXaxCm2Dlh3TwayItZstwyeqQ=\r\n\r\n".utf8)
        let forwarded = try forward(
            method: "PUT", target: "/b/k", headers: [("X-Amz-Content-SHA256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"), ("Content-Encoding", "aws-chunked")],
            body: body, service: .s3, operation: "PutObject")
        XCTAssertEqual(forwarded.header("x-amz-checksum-sha256"), "j0NDRmSPa5bfid2pAcUXaxCm2Dlh3TwayItZstwyeqQ=")
        XCTAssertEqual(forwarded.header("x-amz-sdk-checksum-algorithm"), "SHA256")
        XCTAssertNil(forwarded.header("Content-Encoding"))
        XCTAssertEqual(forwarded.body, Array("hi".utf8))
        XCTAssertEqual(forwarded.header("Content-Length"), "2")
    }

    func testBrokenChunkedBodiesAreRefused() {
        let cases: [(String, [(String, String)])] = [
            ("zz\r\nhello\r\n0\r\n\r\n", []),
            ("5\r\nhel", []),
            ("5\r\nhello\r\n0\r\n\r\n", [("X-Amz-Decoded-Content-Length", "6")]),
        ]
        for (body, extra) in cases {
            XCTAssertThrowsError(
                try forward(
                    method: "PUT", target: "/b/k", headers: [("X-Amz-Content-SHA256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")] + extra,
                    body: Array(body.utf8), service: .s3, operation: "PutObject")
            ) { error in
                guard case .malformedChunkedBody = error as? ForwardingError else { return XCTFail("\(body): \(error)") }
            }
        }
    }

    /// UNSIGNED-PAYLOAD stays unsigned. Expected from botocore's S3SigV4Auth with
    /// `context["client_config"] = Config(s3={"payload_signing_enabled": False})` over https.
    func testUnsignedPayloadStaysUnsigned() throws {
        let body: [UInt8] = [0, 1] + Array("binary".utf8) + [0xFF]
        let forwarded = try forward(
            method: "PUT", target: "/batch/raw.bin",
            headers: [("Host", "localhost:4566"), ("Content-Type", "application/octet-stream"), ("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")],
            body: body, service: .s3, operation: "PutObject")
        XCTAssertEqual(forwarded.header("X-Amz-Content-SHA256"), "UNSIGNED-PAYLOAD")
        XCTAssertEqual(
            forwarded.header("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=d02856c5e773e02e1662addaaa4c322d16f3cbec132d0fbf90002b03bfde27b4"
        )
    }

    /// A presigned GET (SigV4 query) goes up signed in headers, its other parameters kept as
    /// sent. Expected from botocore for
    /// `GET https://s3.us-east-1.amazonaws.com/batch/out/x.json?versionId=3%2Fv`.
    func testPresignedQueryIsReplacedByHeaderSignature() throws {
        let query =
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240524T115900Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&versionId=3%2Fv&X-Amz-Security-Token=abc&X-Amz-Signature=\(String(repeating: "1", count: 64))"
        let forwarded = try forward(
            method: "GET", target: "/batch/out/x.json?\(query)", headers: [("Host", "localhost:4566")], body: [], service: .s3, operation: "GetObject")
        XCTAssertEqual(forwarded.target, "/batch/out/x.json?versionId=3%2Fv")
        XCTAssertNil(forwarded.header("Content-Length"))
        XCTAssertEqual(
            forwarded.header("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=79b19c3c1f93132411eeb222dad7cac285bc23625e0783d44d6ca9fd9993155e"
        )
        // SigV2 query authentication goes the same way.
        let v2 = try forward(
            method: "GET", target: "/batch/out/x.json?AWSAccessKeyId=test&Expires=1716555600&Signature=abc%3D&versionId=3%2Fv",
            headers: [("Host", "localhost:4566")], body: [], service: .s3, operation: "GetObject")
        XCTAssertEqual(v2.target, "/batch/out/x.json?versionId=3%2Fv")
        XCTAssertEqual(v2.header("Authorization"), forwarded.header("Authorization"))
    }

    /// A virtual-hosted PUT goes up path-style and signs exactly as botocore's path-style PUT of
    /// the same object (the `s3_put_plain` pair).
    func testVirtualHostedRequestGoesUpPathStyle() throws {
        let plain = BotocorePair.all.first { $0.name == "s3_put_plain" }!
        let headers = plain.clientHeaders.map { $0.0 == "Host" ? ("Host", "batch.localhost:4566") : $0 }
        let forwarded = try forward(
            method: "PUT", target: "/in/a%20b%2Bc.jsonl", headers: headers, body: Array(plain.clientBody.utf8), service: .s3, operation: "PutObject")
        XCTAssertEqual(forwarded.url, plain.upstreamURL.replacingOccurrences(of: "http://", with: "https://"))
        assertMatches(forwarded, plain.upstreamHeaders, body: Array(plain.upstreamBody.utf8), "virtual-hosted")
        let bucketLevel = try forward(
            method: "GET", target: "/?list-type=2", headers: [("Host", "batch.s3.localhost.localstack.cloud:4566")], body: [], service: .s3,
            operation: "ListObjectsV2")
        XCTAssertEqual(bucketLevel.target, "/batch?list-type=2")
    }

    func testHopByHopHeadersAndWhatConnectionNamesAreDropped() throws {
        let forwarded = try forward(
            method: "POST", target: "/", headers: [
                ("Host", "localhost:4566"), ("Connection", "keep-alive, X-Debug-Hop"), ("Keep-Alive", "timeout=5"), ("X-Debug-Hop", "1"),
                ("Proxy-Authorization", "Basic abc"), ("TE", "trailers"), ("Upgrade", "h2c"), ("Expect", "100-continue"),
                ("X-Amz-Target", "AWSStepFunctions.ListStateMachines"), ("Content-Type", "application/x-amz-json-1.0"),
            ], body: Array("{}".utf8), service: .states, operation: "ListStateMachines")
        XCTAssertEqual(
            forwarded.headers.map(\.name),
            ["Host", "X-Amz-Target", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "Authorization", "Content-Length"])
        XCTAssertTrue(forwarded.header("Authorization")!.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"))
    }

    func testBearerRequestsPassThroughUnsigned() throws {
        let request = HTTPRequestParts(
            method: "POST", target: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", headers: [
                ("Host", "localhost:4566"), ("Authorization", "Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl"), ("Content-Type", "application/json"),
                ("Connection", "close"), ("Content-Length", "2"), ("X-Amz-Date", "20240524T120000Z"),
            ])
        XCTAssertTrue(RequestResigner.isBearer(request))
        let endpoint = try UpstreamEndpoints().endpoint(service: .bedrockRuntime, operation: "Converse", region: "us-west-2")
        let forwarded = RequestResigner.passThrough(request, body: Array("{}".utf8), endpoint: endpoint)
        XCTAssertEqual(forwarded.url, "https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")
        XCTAssertEqual(forwarded.headers.map(\.name), ["Host", "Authorization", "Content-Type", "X-Amz-Date", "Content-Length"])
        XCTAssertEqual(forwarded.header("Authorization"), "Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl")
        XCTAssertEqual(forwarded.header("Host"), "bedrock-runtime.us-west-2.amazonaws.com")
    }

    /// An override with a path prefix: the prefix is part of the signed path.
    func testGatewayBasePathIsSigned() throws {
        let gateway = try UpstreamEndpoint(url: "https://gateway.example.com:8443/aws/")
        let forwarded = try forward(
            method: "POST", target: "/model/m/invoke", headers: [("Content-Type", "application/json")], body: Array("{}".utf8),
            service: .bedrockRuntime, operation: "InvokeModel", endpoints: UpstreamEndpoints(all: gateway))
        XCTAssertEqual(forwarded.url, "https://gateway.example.com:8443/aws/model/m/invoke")
        XCTAssertEqual(forwarded.header("Host"), "gateway.example.com:8443")
        // The same request signed by hand for that path and host.
        var expected = HTTPRequestParts(
            method: "POST", path: "/aws/model/m/invoke", headers: [("Host", "gateway.example.com:8443"), ("Content-Type", "application/json")])
        SigV4Signer(credentials: Self.credentials.sigV4, region: "us-east-1", service: "bedrock")
            .sign(&expected, amzDate: "20240524T120000Z", payloadHash: Digest.sha256Hex(Array("{}".utf8)))
        XCTAssertEqual(forwarded.header("Authorization"), expected.header("Authorization"))
    }

    func testRequestsThatCannotBeForwarded() {
        XCTAssertThrowsError(
            try RequestResigner.resign(
                HTTPRequestParts(method: "GET", path: "/_understudy/journal", headers: []), body: [], service: .admin, region: "us-east-1",
                endpoint: UpstreamEndpoint(host: "example.com"), credentials: Self.credentials, epochSeconds: Self.time)
        ) { XCTAssertEqual($0 as? ForwardingError, .notForwardable(.admin)) }
        XCTAssertThrowsError(
            try RequestResigner.resign(
                HTTPRequestParts(method: "GET", path: "/", headers: []), body: [], service: .s3, region: "us-east-1.evil.com/",
                endpoint: UpstreamEndpoint(host: "example.com"), credentials: Self.credentials, epochSeconds: Self.time)
        ) { XCTAssertEqual($0 as? ForwardingError, .invalidRegion("us-east-1.evil.com/")) }
    }
}
