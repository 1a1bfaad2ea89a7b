/// What a request says about its signature, from the `Authorization` header or a presigned
/// query, parsed without checking it (lenient mode reads the account and region from it).
public struct SigV4Authorization: Sendable, Equatable {
    public var accessKeyId: String
    public var date: String
    public var region: String
    public var service: String
    public var signedHeaders: [String]
    public var signature: String
    /// `X-Amz-Date` (or the query's), when present.
    public var amzDate: String?
    /// Whether this came from a presigned URL's query rather than the `Authorization` header.
    public var isPresigned = false
    /// A presigned URL's `X-Amz-Expires` as sent (the verifier checks it), nil when absent.
    public var expiresParameter: String?

    public var scope: String { SigV4.scope(date: date, region: region, service: service) }

    public enum ParseError: Error, Sendable, Equatable {
        case notSigV4
        case missing(String)
        case malformedCredential(String)
    }

    /// Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    public static func parse(header: String) throws(ParseError) -> SigV4Authorization {
        guard header.hasPrefix(SigV4.algorithm + " ") else { throw .notSigV4 }
        var fields: [String: String] = [:]
        for part in header.dropFirst(SigV4.algorithm.count + 1).split(separator: ",") {
            let trimmed = part.trimmingSpaces
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            fields[String(trimmed[..<eq])] = String(trimmed[trimmed.index(after: eq)...])
        }
        guard let credential = fields["Credential"] else { throw .missing("Credential") }
        guard let signed = fields["SignedHeaders"] else { throw .missing("SignedHeaders") }
        guard let signature = fields["Signature"] else { throw .missing("Signature") }
        var auth = try fromCredential(credential)
        auth.signedHeaders = signed.split(separator: ";").map { String($0) }
        auth.signature = signature
        return auth
    }

    /// Parses the `X-Amz-*` members of a presigned URL's query.
    public static func parse(query items: [(name: String, value: String)]) throws(ParseError) -> SigV4Authorization {
        func value(_ name: String) -> String? { items.first(where: { $0.name == name })?.value }
        guard value("X-Amz-Algorithm") == SigV4.algorithm else { throw .notSigV4 }
        guard let credential = value("X-Amz-Credential") else { throw .missing("X-Amz-Credential") }
        guard let signature = value("X-Amz-Signature") else { throw .missing("X-Amz-Signature") }
        guard let date = value("X-Amz-Date") else { throw .missing("X-Amz-Date") }
        var auth = try fromCredential(credential)
        auth.signedHeaders = (value("X-Amz-SignedHeaders") ?? "host").split(separator: ";").map { String($0) }
        auth.signature = signature
        auth.amzDate = date
        auth.isPresigned = true
        auth.expiresParameter = value("X-Amz-Expires")
        return auth
    }

    static func fromCredential(_ credential: String) throws(ParseError) -> SigV4Authorization {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty else { throw .malformedCredential(credential) }
        return SigV4Authorization(
            accessKeyId: parts[0], date: parts[1], region: parts[2], service: parts[3], signedHeaders: [], signature: "", amzDate: nil)
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
