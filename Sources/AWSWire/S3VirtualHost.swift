/// S3's virtual-hosted addressing: a bucket named by the `Host` (`bucket.localhost:4566`,
/// `bucket.s3.us-east-1.amazonaws.com`, `bucket.s3.localhost.localstack.cloud`) instead of the
/// path's first segment. Botocore chooses it for a custom endpoint whose host is a name, so the
/// emulator, the recorder's re-signing and a cassette's record of the call all read it alike
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html).
public enum S3VirtualHost {
    /// The bucket a `Host` header names, or nil for path style: IP addresses, `localhost`,
    /// `s3.localhost` and `s3.<region>…` name none.
    public static func bucket(inHost hostHeader: String) -> String? {
        var host = Substring(hostHeader)
        if host.hasPrefix("[") { return nil }  // IPv6 literal
        if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
        let lower = host.lowercased()
        if let range = lower.firstRange(of: ".s3.") ?? lower.firstRange(of: ".s3-") {
            let bucket = lower[..<range.lowerBound]
            return bucket.isEmpty ? nil : String(bucket)
        }
        if lower.hasSuffix(".localhost") {
            let bucket = lower.dropLast(".localhost".count)
            return bucket.isEmpty || bucket == "s3" ? nil : String(bucket)
        }
        return nil
    }

    /// The request target's path in path style: a virtual-hosted request's bucket put in front,
    /// a path-style one as it is. Both spellings of a call come out the same.
    public static func pathStyle(path: String, host: String?) -> String {
        guard let host, let bucket = bucket(inHost: host) else { return path }
        if path.isEmpty || path == "/" { return "/\(bucket)" }
        return path.hasPrefix("/") ? "/\(bucket)\(path)" : "/\(bucket)/\(path)"
    }
}
