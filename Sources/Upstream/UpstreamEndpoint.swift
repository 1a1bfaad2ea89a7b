/// Where an upstream lives: scheme, host and port, as an `--upstream` URL or an external S3
/// endpoint names it. The scheme decides whether the connection speaks TLS and which port is
/// implied, so `https://s3.amazonaws.com` is port 443 and `Host` leaves the port out.
public struct UpstreamEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Equatable {
        case http, https

        public var defaultPort: Int { self == .https ? 443 : 80 }
    }

    public var scheme: Scheme
    /// A DNS name or an IP address, IPv6 without brackets.
    public var host: String
    public var port: Int

    public init(scheme: Scheme, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? scheme.defaultPort
    }

    /// `http[s]://host[:port][/]`, the host a name, an IPv4 address or a bracketed IPv6 one;
    /// nil for anything else (a path, user info, another scheme, a port out of range).
    public init?(url: String) {
        let scheme: Scheme
        var rest: Substring
        if url.hasPrefix("https://") {
            (scheme, rest) = (.https, Substring(url.dropFirst(8)))
        } else if url.hasPrefix("http://") {
            (scheme, rest) = (.http, Substring(url.dropFirst(7)))
        } else {
            return nil
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let (host, port) = Self.hostAndPort(rest) else { return nil }
        self.init(scheme: scheme, host: host, port: port)
    }

    /// `host[:port]` or `[v6][:port]`, as URLs and the CONNECT line write it; the port is nil
    /// when absent. Nil for an empty host, a path, user info or a bad port.
    static func hostAndPort(_ text: Substring) -> (host: String, port: Int?)? {
        guard !text.isEmpty, !text.contains("/"), !text.contains("@"), !text.contains("?"), !text.contains("#") else { return nil }
        let host: Substring
        let portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard host.contains(":"), after.isEmpty || after.hasPrefix(":") else { return nil }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return nil }
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else { return nil }
        guard let portText else { return (String(host), nil) }
        guard let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }

    /// The host as a URL or `Host` header writes it: IPv6 in brackets.
    var bracketedHost: String { host.contains(":") ? "[\(host)]" : host }

    /// `Host` as the request carries it (and as SigV4 signs it): the port only when it is not
    /// the scheme's own.
    public var hostHeader: String { port == scheme.defaultPort ? bracketedHost : "\(bracketedHost):\(port)" }

    /// `host:port` always, as a CONNECT request and error messages name it.
    public var authority: String { "\(bracketedHost):\(port)" }

    public var description: String { "\(scheme.rawValue)://\(hostHeader)" }
}
