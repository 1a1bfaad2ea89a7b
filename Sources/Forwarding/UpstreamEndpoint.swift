/// Where a forwarded call goes: scheme, host, port and a path prefix (for a gateway that
/// serves AWS under `/aws`, say). Parsed from a URL for overrides; made from the AWS host
/// name otherwise.
public struct UpstreamEndpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable {
        case http
        case https

        public var defaultPort: Int { self == .https ? 443 : 80 }
    }

    public var scheme: Scheme
    /// The host to connect to and verify the certificate for: a name or an IP address, an IPv6
    /// address without its brackets.
    public var host: String
    /// nil for the scheme's default port.
    public var port: Int?
    /// Prepended to every request path: empty, or `/…` without a trailing `/`.
    public var basePath: String

    public init(scheme: Scheme = .https, host: String, port: Int? = nil, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port == scheme.defaultPort ? nil : port
        self.basePath = basePath
    }

    /// Reads `https://host[:port][/prefix]`. No user name, query or fragment: they have no
    /// meaning for a forwarded call, and a URL carrying them is more likely a mistake.
    public init(url text: String) throws(ForwardingError) {
        func failure(_ reason: String) -> ForwardingError { .invalidUpstreamURL(text, reason: reason) }
        guard let separator = text.firstRange(of: "://") else { throw failure("it has no scheme (http:// or https://)") }
        guard let scheme = Scheme(rawValue: text[..<separator.lowerBound].lowercased()) else { throw failure("the scheme is not http or https") }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        guard !path.contains("?"), !path.contains("#") else { throw failure("it has a query or fragment") }
        guard !authority.contains("@") else { throw failure("it has a user name") }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw failure("an IPv6 address is not closed by ']'") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw failure("text follows the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw failure("it has no host") }
        var port: Int?
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else { throw failure("the port is not a number from 1 to 65535") }
            port = number
        }
        while path.hasSuffix("/") { path.removeLast() }
        self.init(scheme: scheme, host: host.lowercased(), port: port, basePath: path)
    }

    public var effectivePort: Int { port ?? scheme.defaultPort }

    /// The `Host` header: the host, bracketed when IPv6, with the port unless it is the
    /// scheme's default (as HTTP clients, and so the signature, write it).
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(name):\($0)" } ?? name
    }

    public var description: String { "\(scheme.rawValue)://\(hostHeader)\(basePath)" }
}
