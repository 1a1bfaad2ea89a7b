import AWSWire
import XCTest

/// The verifier's refusals beyond a wrong signature: dates that are not dates, lifetimes past
/// a week, scopes for another day, `host` left unsigned, and bodies that are not the one
/// signed; and canonicalisation that stays linear in the header count.
final class SigV4VerifierTests: XCTestCase {
    let credentials = SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")
    /// 2024-05-24T12:00:00Z.
    let now: Int64 = 1_716_552_000
    var amzDate: String { AWSTimestamp.amzDate(epochSeconds: now) }
    var verifier: SigV4Verifier { SigV4Verifier { $0 == "AKIDTEST" ? "secret" : nil } }

    func signed(
        service: String = "states", method: String = "POST", target: String = "/", headers: [(name: String, value: String)] = [],
        body: [UInt8] = Array("{}".utf8), payloadHash: String? = nil
    ) -> HTTPRequestParts {
        var parts = HTTPRequestParts(method: method, target: target, headers: [("Host", "localhost:4566")] + headers)
        SigV4Signer(credentials: credentials, region: "us-east-1", service: service)
            .sign(&parts, amzDate: amzDate, payloadHash: payloadHash ?? Digest.sha256Hex(body))
        return parts
    }

    func failure(_ parts: HTTPRequestParts, body: [UInt8] = Array("{}".utf8)) -> SigV4Verifier.Failure? {
        do {
            _ = try verifier.verify(parts, body: body, now: now)
            return nil
        } catch {
            return error
        }
    }

    func replacing(_ name: String, with value: String, in parts: HTTPRequestParts) -> HTTPRequestParts {
        var copy = parts
        copy.headers = copy.headers.map { $0.name.lowercased() == name.lowercased() ? ($0.name, value) : $0 }
        return copy
    }

    func testASignedRequestVerifies() {
        XCTAssertNil(failure(signed()))
    }

    func testMalformedDatesAreRefusedNotSkipped() {
        // Each was once skipped by the time check, so the signature never expired.
        for date in ["20200101T000000", "garbage", "20241301T000000Z", "20240230T000000Z", "2024052+T120000Z", ""] {
            XCTAssertEqual(failure(replacing("X-Amz-Date", with: date, in: signed())), .malformedDate(date, presigned: false), date)
        }
        var viaDate = signed()
        viaDate.headers.removeAll { $0.name == "X-Amz-Date" }
        viaDate.headers.append(("Date", "Sun, 06 Nov 99999 08:49:37 GMT"))
        XCTAssertEqual(failure(viaDate), .malformedDate("Sun, 06 Nov 99999 08:49:37 GMT", presigned: false))
    }

    func testRequestTimeReadsOnlyRealDates() {
        XCTAssertEqual(SigV4RequestTime.epochSeconds(amzDate: "20240524T120000Z"), now)
        XCTAssertEqual(SigV4RequestTime.epochSeconds(amzDate: "20240229T000000Z"), 1_709_164_800)
        XCTAssertNil(SigV4RequestTime.epochSeconds(amzDate: "20230229T000000Z"))
        XCTAssertNil(SigV4RequestTime.epochSeconds(amzDate: "20240524T240000Z"))
        XCTAssertNil(SigV4RequestTime.epochSeconds(amzDate: "+0240524T120000Z"))
        XCTAssertEqual(SigV4RequestTime.amzDate(httpDate: "Fri, 24 May 2024 12:00:00 GMT"), "20240524T120000Z")
        XCTAssertNil(SigV4RequestTime.amzDate(httpDate: "Fri, 24 May 2024 12:00:00 UTC"))
        XCTAssertNil(SigV4RequestTime.amzDate(httpDate: "Fri, 32 May 2024 12:00:00 GMT"))
    }

    func testCredentialScopeMustBeTheDayOfTheRequest() {
        let parts = signed()
        let authorization = parts.header("Authorization")!.replacingOccurrences(of: "/20240524/", with: "/20240523/")
        XCTAssertEqual(
            failure(replacing("Authorization", with: authorization, in: parts)),
            .credentialDateMismatch(scopeDate: "20240523", amzDate: "20240524T120000Z", presigned: false))
    }

    func testHostMustBeSigned() {
        var parts = HTTPRequestParts(method: "POST", target: "/", headers: [("X-Amz-Target", "AWSStepFunctions.ListActivities")])
        SigV4Signer(credentials: credentials, region: "us-east-1", service: "states").sign(&parts, amzDate: amzDate, payloadHash: Digest.sha256Hex(Array("{}".utf8)))
        parts.headers.append(("Host", "localhost:4566"))
        XCTAssertEqual(failure(parts), .hostNotSigned(presigned: false))
    }

    func testPresignedLifetimeIsAtMostAWeek() {
        let request = HTTPRequestParts(method: "GET", target: "/bucket/key", headers: [("Host", "localhost:4566")])
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
        func presigned(expires: Int) -> HTTPRequestParts {
            HTTPRequestParts(
                method: "GET", path: "/bucket/key", query: signer.presignedQuery(request, amzDate: amzDate, expires: expires, payloadHash: "UNSIGNED-PAYLOAD"),
                headers: request.headers)
        }
        XCTAssertNil(failure(presigned(expires: 604_800), body: []))
        XCTAssertEqual(
            failure(presigned(expires: 604_801), body: []), .malformedExpires("X-Amz-Expires must be less than a week (in seconds) that is 604800"))
        var tampered = presigned(expires: 60)
        tampered.query = tampered.query.replacingOccurrences(of: "X-Amz-Expires=60", with: "X-Amz-Expires=soon")
        XCTAssertEqual(failure(tampered, body: []), .malformedExpires("X-Amz-Expires should be a number"))
        tampered.query = tampered.query.replacingOccurrences(of: "X-Amz-Expires=soon", with: "X-Amz-Expires=-1")
        XCTAssertEqual(failure(tampered, body: []), .malformedExpires("X-Amz-Expires must be non-negative"))
        var badDate = presigned(expires: 60)
        badDate.query = badDate.query.replacingOccurrences(of: "X-Amz-Date=20240524T120000Z", with: "X-Amz-Date=20240524T120000")
        XCTAssertEqual(failure(badDate, body: []), .malformedDate("20240524T120000", presigned: true))
    }

    func testS3ChecksTheBodyAgainstTheSignedHash() {
        let body = Array("hello".utf8)
        let hash = Digest.sha256Hex(body)
        let parts = signed(service: "s3", method: "PUT", target: "/bucket/key", headers: [("X-Amz-Content-SHA256", hash)], body: body, payloadHash: hash)
        XCTAssertNil(failure(parts, body: body))
        XCTAssertEqual(failure(parts, body: Array("HELLO".utf8)), .contentSHA256Mismatch(declared: hash, computed: Digest.sha256Hex(Array("HELLO".utf8))))
        let garbage = signed(service: "s3", method: "PUT", target: "/bucket/key", headers: [("X-Amz-Content-SHA256", "nope")], body: body, payloadHash: "nope")
        XCTAssertEqual(failure(garbage, body: body), .invalidContentSHA256("nope"))
        // S3 takes UNSIGNED-PAYLOAD at its word.
        let unsigned = signed(
            service: "s3", method: "PUT", target: "/bucket/key", headers: [("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")], body: body, payloadHash: "UNSIGNED-PAYLOAD")
        XCTAssertNil(failure(unsigned, body: Array("anything".utf8)))
    }

    func testJSONServicesHashTheBodyThemselves() {
        let body = Array("{}".utf8)
        let unsigned = signed(headers: [("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")], body: body, payloadHash: "UNSIGNED-PAYLOAD")
        guard case .signatureMismatch = failure(unsigned, body: body) else { return XCTFail("UNSIGNED-PAYLOAD accepted for states") }
        let declared = Digest.sha256Hex(body)
        let replayed = signed(headers: [("X-Amz-Content-SHA256", declared)], body: body, payloadHash: declared)
        XCTAssertNil(failure(replayed, body: body))
        guard case .signatureMismatch = failure(replayed, body: Array("{\"maxResults\":1}".utf8)) else { return XCTFail("altered body accepted") }
    }

    func testContentHashHeaderValues() {
        XCTAssertEqual(SigV4ContentHash(header: "UNSIGNED-PAYLOAD"), .unsignedPayload)
        XCTAssertEqual(SigV4ContentHash(header: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")?.hasChunkSignatures, true)
        XCTAssertEqual(SigV4ContentHash(header: "STREAMING-UNSIGNED-PAYLOAD-TRAILER")?.hasChunkSignatures, false)
        XCTAssertEqual(SigV4ContentHash(header: String(repeating: "AB", count: 32)), .sha256(String(repeating: "ab", count: 32)))
        XCTAssertNil(SigV4ContentHash(header: String(repeating: "g", count: 64)))
        XCTAssertNil(SigV4ContentHash(header: "unsigned-payload"))
    }

    func testCanonicalHeadersAreLinearInTheHeaderCount() {
        let headers = (0..<5000).map { (name: "X-H-\($0)", value: "  v \($0)  ") }
        let names = headers.map { $0.name.lowercased() }.sorted()
        let started = ContinuousClock.now
        let canonical = SigV4.canonicalHeaders(headers + [("x-h-7", "again")], signed: names)
        let elapsed = ContinuousClock.now - started
        XCTAssertLessThan(elapsed, .milliseconds(250), "5,000 signed headers took \(elapsed)")
        XCTAssertEqual(canonical.split(separator: "\n").count, 5000)
        XCTAssertTrue(canonical.contains("x-h-7:v 7,again\n"))
        XCTAssertTrue(canonical.hasPrefix("x-h-0:v 0\nx-h-1:v 1\nx-h-10:v 10\n"))
    }
}
