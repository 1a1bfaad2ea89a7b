public import AWSWire

/// The external endpoint batch jobs use instead of the embedded store.
public struct ExternalS3Endpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var region: String
    public var credentials: SigV4Credentials

    public init(host: String, port: Int, region: String, credentials: SigV4Credentials) {
        self.host = host
        self.port = port
        self.region = region
        self.credentials = credentials
    }

    /// `http://host[:port][/]`; nil for anything else (https included: see `UpstreamHTTPClient`).
    public static func parse(url: String) -> (host: String, port: Int)? {
        guard url.hasPrefix("http://") else { return nil }
        var rest = Substring(url.dropFirst(7))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (String(parts[0]), 80)
        case 2:
            guard !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
            return (String(parts[0]), port)
        default: return nil
        }
    }
}
