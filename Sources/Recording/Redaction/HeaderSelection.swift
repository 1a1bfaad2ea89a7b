/// Which request headers a cassette keeps: the ones that say what was asked (content type,
/// target, Bedrock's options, S3's object metadata), never the ones that carry a credential or
/// change on every call (signature, date, SDK invocation ids, user agent). A list of what to
/// keep rather than what to drop, so a header nobody thought of (a gateway's API key) is not
/// written.
public struct HeaderSelection: Sendable, Equatable {
    /// Lowercased names kept exactly.
    public var names: Set<String>
    /// Lowercased prefixes whose headers are kept.
    public var prefixes: [String]

    /// Never written, whatever a configuration adds: they carry credentials.
    public static let forbidden: Set<String> = [
        "authorization", "proxy-authorization", "x-amz-security-token", "cookie", "set-cookie", "x-api-key",
    ]

    public static let requestDefault = HeaderSelection(
        names: [
            "content-type", "accept", "content-encoding", "content-language", "content-disposition", "cache-control", "expires",
            "x-amz-target", "range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "content-md5",
            "x-amz-copy-source", "x-amz-copy-source-range", "x-amz-acl", "x-amz-storage-class", "x-amz-tagging",
            "x-amz-server-side-encryption", "x-amz-sdk-checksum-algorithm", "x-amz-expected-bucket-owner", "x-amz-metadata-directive",
        ],
        prefixes: ["x-amzn-bedrock-", "x-amz-bedrock-", "x-amz-meta-", "x-amz-checksum-"])

    public init(names: Set<String>, prefixes: [String] = []) {
        self.names = Set(names.map { $0.lowercased() })
        self.prefixes = prefixes.map { $0.lowercased() }
    }

    /// This selection and `more` names (a configuration's additions).
    public func adding(_ more: [String]) -> HeaderSelection {
        HeaderSelection(names: names.union(more.map { $0.lowercased() }), prefixes: prefixes)
    }

    public func keeps(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard !Self.forbidden.contains(lower) else { return false }
        return names.contains(lower) || prefixes.contains(where: { lower.hasPrefix($0) })
    }
}
