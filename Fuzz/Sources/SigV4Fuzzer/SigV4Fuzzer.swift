import AWSWire
import FuzzSupport

/// SigV4 as strict and lenient auth read it: the `Authorization` header parser, the presigned
/// query parser, the canonical request and the verifier, on a fuzzed request.
///
/// The input is a request in HTTP's text form: `METHOD target [HTTP/1.1]`, header lines
/// `name:value`, a blank line, then the body (lines end with `\n`). Beyond not trapping on
/// anything, the signer and the verifier must agree: the request signed with a known key, in
/// the header and as a presigned URL, must verify. Before signing, the request is made one the
/// HTTP edge could hand over (header names are tokens, no control characters in values, no
/// space in the target) and the parts a signer writes itself are taken out of it.
enum SigV4Fuzzer {
    static let accessKeyId = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    /// 2015-08-30T12:36:00Z, the time of the signing test suites the seeds come from.
    static let now: Int64 = 1_440_938_160
    static let amzDate = "20150830T123600Z"

    static func run(_ bytes: [UInt8]) {
        guard let (request, body) = parse(bytes) else { return }
        for header in request.headers { _ = try? SigV4Authorization.parse(header: header.value) }
        _ = try? SigV4Authorization.parse(query: URIEncoding.queryItems(request.query))
        let verifier = SigV4Verifier(checkClockSkew: true) { $0 == accessKeyId ? secret : nil }
        _ = try? verifier.verify(request, body: body, now: now)
        let lenient = SigV4Verifier(checkClockSkew: false) { _ in secret }
        _ = try? lenient.verify(request, body: body, now: now)
        let signed = request.headers.map { $0.name.lowercased() }.sorted()
        for mode in [SigV4.PathMode.raw, .normalizedDoubleEncoded] {
            _ = SigV4.canonicalRequest(
                method: request.method, path: request.path, query: request.query, headers: request.headers,
                signedHeaders: signed, payloadHash: SigV4.emptyPayloadHash, pathMode: mode)
        }
        guard let deliverable = deliverable(request) else { return }
        // S3 signs its path as sent and declares its payload; every other service normalizes the
        // path and hashes the body. One of them per input keeps the target fast.
        signThenVerify(deliverable, body: body, service: bytes.count % 2 == 0 ? "states" : "s3")
    }

    static func signThenVerify(_ request: HTTPRequestParts, body: [UInt8], service: String) {
        let signer = SigV4Signer(
            credentials: SigV4Credentials(accessKeyId: accessKeyId, secretAccessKey: secret), region: "us-east-1", service: service)
        let verifier = SigV4Verifier(checkClockSkew: true) { $0 == accessKeyId ? secret : nil }
        var headerSigned = request
        signer.sign(&headerSigned, amzDate: amzDate, payloadHash: Digest.sha256Hex(body))
        do { _ = try verifier.verify(headerSigned, body: body, now: now) } catch {
            Invariant.broken("a request signed in its Authorization header does not verify: \(error)")
        }
        var presigned = request
        let payloadHash = service == "s3" ? "UNSIGNED-PAYLOAD" : Digest.sha256Hex(body)
        presigned.query = signer.presignedQuery(request, amzDate: amzDate, expires: 3600, payloadHash: payloadHash)
        do { _ = try verifier.verify(presigned, body: body, now: now) } catch {
            Invariant.broken("a presigned request does not verify: \(error)")
        }
    }

    /// `METHOD target`, headers, blank line, body; nil when there is no first line.
    static func parse(_ bytes: [UInt8]) -> (HTTPRequestParts, [UInt8])? {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var bodyStart = bytes.count
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[start..<end]
            start = end + 1
            if line.isEmpty, !lines.isEmpty {
                bodyStart = min(start, bytes.count)
                break
            }
            lines.append(line)
        }
        guard let first = lines.first else { return nil }
        var requestLine = String(decoding: first, as: UTF8.self)
        if requestLine.hasSuffix(" HTTP/1.1") { requestLine.removeLast(9) }
        let space = requestLine.firstIndex(of: " ") ?? requestLine.endIndex
        let method = String(requestLine[..<space])
        let target = space == requestLine.endIndex ? "/" : String(requestLine[requestLine.index(after: space)...])
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            let text = String(decoding: line, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else { continue }
            headers.append((String(text[..<colon]), trimmed(text[text.index(after: colon)...])))
        }
        return (HTTPRequestParts(method: method, target: target, headers: headers), Array(bytes[bodyStart...]))
    }

    /// The HTTP parser hands over header values without the spaces and tabs around them.
    static func trimmed(_ text: Substring) -> String {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// The request as the HTTP edge could deliver it, without what a signer adds itself; nil
    /// when its method or target could not arrive over HTTP at all.
    static func deliverable(_ request: HTTPRequestParts) -> HTTPRequestParts? {
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(isTokenByte) else { return nil }
        guard request.path.hasPrefix("/"), !(request.path + request.query).utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return nil }
        let added: Set<String> = ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
        var headers = request.headers.filter { header in
            !header.name.isEmpty && header.name.utf8.allSatisfy(isTokenByte) && !added.contains(header.name.lowercased())
                && !header.value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F })
        }
        if !headers.contains(where: { $0.name.lowercased() == "host" }) { headers.append(("Host", "localhost:4566")) }
        let presignParameters: Set<String> = [
            "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-Security-Token", "X-Amz-SignedHeaders",
            "X-Amz-Signature",
        ]
        let query = request.query.split(separator: "&").filter { piece in
            guard let name = URIEncoding.queryItems(String(piece)).first?.name else { return true }
            return !presignParameters.contains(name)
        }.joined(separator: "&")
        return HTTPRequestParts(method: request.method, path: request.path, query: query, headers: headers)
    }

    /// RFC 9110's `tchar`: what a method or header name is made of.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    SigV4Fuzzer.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
