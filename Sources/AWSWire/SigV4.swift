/// Signature Version 4: canonical request, string to sign and signing key, shared by the
/// signer (client harness, record proxy) and the verifier (strict auth).
///
/// Follows the SigV4 reference and wire.md §5: non-S3 services normalize the path and encode it
/// again (so `%3A` becomes `%253A`); S3 signs the path as it was sent.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public enum PathMode: Sendable {
        /// Remove dot segments, collapse `//`, then encode every byte outside the unreserved set
        /// (a `%` already on the wire becomes `%25`). Every service but S3.
        case normalizedDoubleEncoded
        /// The path as sent; only bytes that cannot appear in a URI are encoded. S3.
        case raw
    }

    public static func canonicalURI(_ path: String, mode: PathMode) -> String {
        switch mode {
        case .raw:
            let p = path.isEmpty ? "/" : path
            return URIEncoding.encode(p, keepSlash: true, keepPercent: true)
        case .normalizedDoubleEncoded:
            return URIEncoding.encode(normalize(path), keepSlash: true)
        }
    }

    /// RFC 3986 dot-segment removal plus collapsing empty segments, as botocore does.
    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(segment)
        }
        var result = "/" + segments.joined(separator: "/")
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last
        if result != "/", path.hasSuffix("/") || last == "." || last == ".." { result += "/" }
        return result
    }

    /// Decode each name and value, re-encode with the unreserved set, sort by name then value.
    public static func canonicalQuery(_ rawQuery: String, excluding excluded: Set<String> = []) -> String {
        var pairs: [(String, String)] = []
        for item in URIEncoding.queryItems(rawQuery) where !excluded.contains(item.name) {
            pairs.append((URIEncoding.encode(item.name), URIEncoding.encode(item.value)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Trims and collapses runs of spaces; folded continuation lines arrive already joined.
    static func canonicalHeaderValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for c in value.unicodeScalars {
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// `name:value\n` for each signed header (repeated headers joined with `,` in arrival order).
    ///
    /// One pass over the headers into a table by lowercased name, then one lookup per signed
    /// name: a request is attacker-sized, and filtering every header for every signed name was
    /// quadratic (5,000 signed headers held an event loop for half a second).
    public static func canonicalHeaders(_ headers: [(name: String, value: String)], signed: [String]) -> String {
        let wanted = Set(signed)
        var values: [String: [String]] = [:]
        values.reserveCapacity(wanted.count)
        for header in headers {
            let name = header.name.lowercased()
            guard wanted.contains(name) else { continue }
            values[name, default: []].append(canonicalHeaderValue(header.value))
        }
        var out = ""
        for name in signed {
            out += name
            out += ":"
            if let found = values[name] { out += found.joined(separator: ",") }
            out += "\n"
        }
        return out
    }

    public static func canonicalRequest(
        method: String, path: String, query: String, headers: [(name: String, value: String)],
        signedHeaders: [String], payloadHash: String, pathMode: PathMode, excludingQuery: Set<String> = []
    ) -> String {
        [
            method,
            canonicalURI(path, mode: pathMode),
            canonicalQuery(query, excluding: excludingQuery),
            canonicalHeaders(headers, signed: signedHeaders),
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    public static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        "\(algorithm)\n\(amzDate)\n\(scope)\n\(Digest.sha256Hex(canonicalRequest))"
    }

    public static func signingKey(secret: String, date: String, region: String, service: String) -> [UInt8] {
        let kDate = Digest.hmacSHA256(key: Array("AWS4\(secret)".utf8), date)
        let kRegion = Digest.hmacSHA256(key: kDate, region)
        let kService = Digest.hmacSHA256(key: kRegion, service)
        return Digest.hmacSHA256(key: kService, "aws4_request")
    }

    public static func signature(key: [UInt8], stringToSign: String) -> String {
        Digest.hex(Digest.hmacSHA256(key: key, stringToSign))
    }

    /// The scope for a SigV4 credential: `yyyymmdd/region/service/aws4_request`.
    public static func scope(date: String, region: String, service: String) -> String {
        "\(date)/\(region)/\(service)/aws4_request"
    }

    public static func pathMode(forService service: String) -> PathMode {
        service == "s3" ? .raw : .normalizedDoubleEncoded
    }
}

public struct SigV4Credentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// Credentials reach log lines and test failures through string interpolation and `dump`;
/// neither may show the secret or the session token.
extension SigV4Credentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "SigV4Credentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                ("accessKeyId", accessKeyId as Any), ("secretAccessKey", "<redacted>" as Any),
                ("sessionToken", (sessionToken == nil ? "nil" : "<redacted>") as Any),
            ],
            displayStyle: .struct)
    }
}
