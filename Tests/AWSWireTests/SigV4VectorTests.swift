import AWSWire
import Foundation
import JSONCore
import VectorSupport
import XCTest

/// aws-c-auth's v4 suite (header and presigned), botocore's aws4 suite, real botocore
/// requests for states/bedrock/s3, and the S3 streaming example.
final class SigV4VectorTests: XCTestCase {
    /// Parses the suites' `request.txt`: request line, headers (with folded lines), body.
    func parseRequest(_ text: String) -> (parts: HTTPRequestParts, body: [UInt8]) {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix(while: { $0 != " " }))
        var target = String(requestLine.dropFirst(method.count + 1))
        if target.hasSuffix(" HTTP/1.1") { target = String(target.dropLast(9)) }
        var headers: [(name: String, value: String)] = []
        var bodyLines: [String] = []
        var inBody = false
        for line in lines {
            if inBody { bodyLines.append(line); continue }
            if line.isEmpty { inBody = true; continue }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        return (HTTPRequestParts(method: method, target: target, headers: headers), Array(bodyLines.joined(separator: "\n").utf8))
    }

    func amzDate(_ iso: String) -> String {
        AWSTimestamp.amzDate(epochSeconds: AWSTimestamp.epochMillis(iso8601: iso)! / 1000)
    }

    func testAwsCAuthSuite() throws {
        let cases = try Fixtures.json("vectors/sigv4/aws-c-auth-v4.json")["cases"]!.arrayValue!
        var checked = 0
        for c in cases {
            let id = c["id"]!.stringValue!
            let ctx = c["context"]!
            let creds = SigV4Credentials(
                accessKeyId: ctx["credentials"]!["access_key_id"]!.stringValue!,
                secretAccessKey: ctx["credentials"]!["secret_access_key"]!.stringValue!,
                sessionToken: ctx["credentials"]!["token"]?.stringValue)
            let date = amzDate(ctx["timestamp"]!.stringValue!)
            let (request, body) = parseRequest(c["request"]!.stringValue!)
            let pathMode: SigV4.PathMode = ctx["normalize"]!.boolValue! ? .normalizedDoubleEncoded : .raw
            let payloadHash = Digest.sha256Hex(body)

            // Header signing: rebuild the canonical request and signature from the signed request.
            let header = c["header"]!
            var signed = request
            signed.headers.append(("X-Amz-Date", date))
            if let token = creds.sessionToken, ctx["omit_session_token"]?.boolValue != true {
                signed.headers.append(("X-Amz-Security-Token", token))
            }
            if ctx["sign_body"]?.boolValue == true { signed.headers.append(("x-amz-content-sha256", payloadHash)) }
            let signedNames = Set(signed.headers.map { $0.name.lowercased() }).sorted()
            let canonical = SigV4.canonicalRequest(
                method: signed.method, path: signed.path, query: signed.query, headers: signed.headers,
                signedHeaders: signedNames, payloadHash: payloadHash, pathMode: pathMode)
            XCTAssertEqual(canonical, header["canonical_request"]!.stringValue!, "\(id) canonical")
            let scope = SigV4.scope(date: String(date.prefix(8)), region: ctx["region"]!.stringValue!, service: ctx["service"]!.stringValue!)
            let sts = SigV4.stringToSign(amzDate: date, scope: scope, canonicalRequest: canonical)
            XCTAssertEqual(sts, header["string_to_sign"]!.stringValue!, "\(id) sts")
            let key = SigV4.signingKey(secret: creds.secretAccessKey, date: String(date.prefix(8)), region: ctx["region"]!.stringValue!, service: ctx["service"]!.stringValue!)
            XCTAssertEqual(SigV4.signature(key: key, stringToSign: sts), header["signature"]!.stringValue!, "\(id) signature")
            checked += 1

            // Presigned: the verifier accepts the signed URL the suite produced.
            if let query = c["query"]?.objectValue, let signedRequest = query["signed_request"]?.stringValue {
                let (presigned, presignedBody) = parseRequest(signedRequest)
                let service = ctx["service"]!.stringValue!
                let canonicalQ = SigV4.canonicalRequest(
                    method: presigned.method, path: presigned.path, query: presigned.query, headers: presigned.headers,
                    signedHeaders: URIEncoding.queryItems(presigned.query).first(where: { $0.name == "X-Amz-SignedHeaders" })!.value.split(separator: ";").map(String.init),
                    payloadHash: ctx["sign_body"]?.boolValue == true ? Digest.sha256Hex(presignedBody) : SigV4.emptyPayloadHash,
                    pathMode: pathMode,
                    excludingQuery: ctx["omit_session_token"]?.boolValue == true ? ["X-Amz-Signature", "X-Amz-Security-Token"] : ["X-Amz-Signature"])
                XCTAssertEqual(canonicalQ, query["canonical_request"]!.stringValue!, "\(id) presigned canonical")
                let stsQ = SigV4.stringToSign(amzDate: date, scope: scope, canonicalRequest: canonicalQ)
                XCTAssertEqual(SigV4.signature(key: key, stringToSign: stsQ), query["signature"]!.stringValue!, "\(id) presigned signature")
                _ = service
                checked += 1
            }
        }
        XCTAssertEqual(checked, 76)
        print("aws-c-auth v4: \(checked) signatures reproduced")
    }

    func testBotocoreSuiteWithVerifier() throws {
        let suite = try Fixtures.json("vectors/sigv4/botocore-aws4_testsuite.json")
        let ctx = suite["context"]!
        let secret = ctx["credentials"]!["secret_access_key"]!.stringValue!
        let now = AWSTimestamp.epochMillis(iso8601: ctx["timestamp"]!.stringValue!)! / 1000
        let verifier = SigV4Verifier { $0 == "AKIDEXAMPLE" ? secret : nil }
        var checked = 0
        for c in suite["cases"]!.arrayValue! {
            let id = c["id"]!.stringValue!
            var (request, body) = parseRequest(c["signed_request"]!.stringValue!)
            // These cases use the plain space-containing path; normalize-path/get-space is the
            // one botocore itself skips.
            if c["botocore_skips"]?.boolValue == true { continue }
            // The case's `authorization` is authoritative (one signed_request carries a placeholder).
            let authorization = c["authorization"]!.stringValue!
            request.headers = request.headers.map { ($0.name, $0.name.lowercased() == "authorization" ? authorization : $0.value) }
            do {
                _ = try verifier.verify(request, body: body, now: now)
                checked += 1
            } catch {
                XCTFail("\(id): \(error)")
            }
            // A wrong secret fails.
            let wrong = SigV4Verifier { _ in "not-the-secret" }
            XCTAssertThrowsError(try wrong.verify(request, body: body, now: now), id)
        }
        XCTAssertGreaterThanOrEqual(checked, 29)
        print("botocore aws4 suite: \(checked) requests verified")
    }

    func testBotocoreObservedRequests() throws {
        let file = try Fixtures.json("vectors/sigv4/botocore-observed.json")
        let secret = file["credentials"]!["secret_access_key"]?.stringValue ?? "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let verifier = SigV4Verifier { _ in secret }
        var checked = 0
        for c in file["cases"]!.arrayValue! {
            let id = c["id"]!.stringValue!
            let wire = c["wire"]!
            let url = wire["url"]!.stringValue!
            let afterScheme = url.components(separatedBy: "://")[1]
            let host = String(afterScheme.prefix(while: { $0 != "/" }))
            let target = String(afterScheme.dropFirst(host.count))
            var headers: [(name: String, value: String)] = wire["headers"]!.arrayValue!.map { ($0[0]!.stringValue!, $0[1]!.stringValue!) }
            if !headers.contains(where: { $0.name.lowercased() == "host" }) { headers.append(("Host", host)) }
            let request = HTTPRequestParts(method: wire["method"]!.stringValue!, target: target, headers: headers)
            let body: [UInt8]
            if let b64 = wire["body_b64"]?.stringValue { body = Base64.decode(b64)! } else { body = Array((wire["body_utf8"]?.stringValue ?? "").utf8) }
            let amz = request.header("X-Amz-Date") ?? URIEncoding.queryItems(request.query).first(where: { $0.name == "X-Amz-Date" })!.value
            let now = AWSTimestamp.epochSeconds(amzDate: amz)!
            let outcome = Result { try verifier.verify(request, body: body, now: now) }
            if case .failure(let error) = outcome {
                let failure = error as? SigV4Verifier.Failure
                if case .signatureMismatch(let canonical, let sts)? = failure {
                    XCTAssertEqual(canonical, c["canonical_request"]!.stringValue!, id)
                    XCTAssertEqual(sts, c["string_to_sign"]!.stringValue!, id)
                }
                XCTFail("\(id): \(error)")
            }
            // The resolver routes it to the service its scope names.
            let service = ServiceResolver.resolve(method: request.method, path: request.path, query: request.query, header: request.header)
            let scopeService = c["credential_scope_service"]!.stringValue!
            switch scopeService {
            case "states": XCTAssertEqual(service, .states, id)
            case "s3": XCTAssertEqual(service, .s3, id)
            default: XCTAssertTrue(service == .bedrock || service == .bedrockRuntime, id)
            }
            checked += 1
        }
        XCTAssertEqual(checked, 12)
    }

    func testClockSkewAndUnknownKey() throws {
        let signer = SigV4Signer(credentials: SigV4Credentials(accessKeyId: "AKID", secretAccessKey: "secret"), region: "us-east-1", service: "states")
        let body = Array("{}".utf8)
        var request = HTTPRequestParts(method: "POST", path: "/", headers: [("Host", "localhost:4566"), ("Content-Type", "application/x-amz-json-1.0")])
        let t: Int64 = 1_716_552_000
        signer.sign(&request, amzDate: AWSTimestamp.amzDate(epochSeconds: t), payloadHash: Digest.sha256Hex(body))
        let verifier = SigV4Verifier { $0 == "AKID" ? "secret" : nil }
        XCTAssertNoThrow(try verifier.verify(request, body: body, now: t + 60))
        XCTAssertThrowsError(try verifier.verify(request, body: body, now: t + 16 * 60)) { error in
            guard case .expired = error as! SigV4Verifier.Failure else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try verifier.verify(request, body: body, now: t - 16 * 60)) { error in
            guard case .notYetCurrent = error as! SigV4Verifier.Failure else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try SigV4Verifier { _ in nil }.verify(request, body: body, now: t)) { error in
            XCTAssertEqual(error as? SigV4Verifier.Failure, .unknownAccessKey("AKID"))
        }
        XCTAssertThrowsError(try verifier.verify(request, body: Array("{\"a\":1}".utf8), now: t))
    }

    func testS3StreamingChunkChain() throws {
        let file = try Fixtures.json("vectors/sigv4/s3-streaming.json")["signed_chunked"]!
        let creds = file["credentials"]!
        let seed = file["seed"]!
        let date = file["x_amz_date"]!.stringValue!
        let scope = SigV4.scope(date: String(date.prefix(8)), region: "us-east-1", service: "s3")
        let key = SigV4.signingKey(secret: creds["secret_access_key"]!.stringValue!, date: String(date.prefix(8)), region: "us-east-1", service: "s3")
        // The seed request verifies with the raw S3 path.
        let req = file["request"]!
        let request = HTTPRequestParts(
            method: req["method"]!.stringValue!, path: req["path"]!.stringValue!,
            headers: req["headers"]!.arrayValue!.map { ($0[0]!.stringValue!, $0[1]!.stringValue!) } + [("Authorization", seed["authorization"]!.stringValue!)])
        let verifier = SigV4Verifier { _ in creds["secret_access_key"]!.stringValue! }
        let verified = try verifier.verify(request, body: [], now: AWSTimestamp.epochSeconds(amzDate: date)!)
        XCTAssertEqual(verified.authorization.signature, seed["signature"]!.stringValue!)

        var chain = SigV4ChunkChain(signingKey: key, amzDate: date, scope: scope, seedSignature: seed["signature"]!.stringValue!)
        for chunk in file["chunks"]!.arrayValue! {
            let data = [UInt8](repeating: UInt8(ascii: "a"), count: chunk["size"]!.intValue!)
            XCTAssertEqual(chain.stringToSign(chunk: data), chunk["string_to_sign"]!.stringValue!)
            XCTAssertTrue(chain.verify(chunk: data, signature: chunk["signature"]!.stringValue!))
        }
        let trailer = file["trailer"]!
        let trailers = trailer["trailing_headers"]!.arrayValue!.map { ($0[0]!.stringValue!, $0[1]!.stringValue!) }
        if let expected = trailer["string_to_sign"]?.stringValue {
            // aws-c-auth chains the trailer from the seed signature.
            let fromSeed = SigV4ChunkChain(signingKey: key, amzDate: date, scope: scope, seedSignature: seed["signature"]!.stringValue!)
            let candidates = [fromSeed.trailerStringToSign(trailers: trailers), chain.trailerStringToSign(trailers: trailers)]
            XCTAssertTrue(candidates.contains(expected), "trailer string to sign")
            if let signature = trailer["signature"]?.stringValue {
                XCTAssertTrue([fromSeed.trailerSignature(trailers: trailers), chain.trailerSignature(trailers: trailers)].contains(signature))
            }
        }
    }
}
