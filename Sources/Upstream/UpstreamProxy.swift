import JSONCore

/// An HTTP proxy that `https` upstreams are reached through, by a CONNECT tunnel that TLS then
/// runs inside (so the proxy sees only the host and port). Read from `https_proxy` /
/// `HTTPS_PROXY` and `no_proxy` / `NO_PROXY`, the variables curl, the AWS CLI and boto3 honour,
/// so a machine set up for them works for Understudy's own calls too. Plain `http`
/// upstreams are local stand-ins and always go direct.
public struct UpstreamProxy: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// `Basic …` from the URL's user info, sent as `Proxy-Authorization`.
    public var authorization: String?
    /// Lower-cased `NO_PROXY` entries: a host or domain (`example.com` also covers
    /// `a.example.com`), optionally `:port`; `*` excludes everything.
    public var exclusions: [String]

    public init(host: String, port: Int, username: String? = nil, password: String? = nil, exclusions: [String] = []) {
        self.host = host
        self.port = port
        if let username {
            authorization = "Basic " + Base64.encode(Array("\(username):\(password ?? "")".utf8))
        }
        self.exclusions = exclusions.compactMap(Self.normalizedExclusion)
    }

    /// Hosts a proxy from the environment never applies to, as Go's and Python's clients do:
    /// a loopback upstream is a local test endpoint, not something behind a corporate proxy.
    static let loopbackExclusions = ["localhost", "127.0.0.1", "::1"]

    /// The proxy the environment names (lower-case variables first, as curl reads them), or
    /// nil when none is set. Throws when the variable is set but is not
    /// `http://[user[:password]@]host[:port]` (scheme optional, port 80 by default).
    public static func fromEnvironment(_ environment: [String: String]) throws(UpstreamFailure) -> UpstreamProxy? {
        let name = environment["https_proxy"] != nil ? "https_proxy" : "HTTPS_PROXY"
        guard let url = environment[name], !url.isEmpty else { return nil }
        let noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
        let exclusions = noProxy.split(separator: ",").map(String.init) + loopbackExclusions
        guard var proxy = parse(url: url) else {
            throw UpstreamFailure(.proxy, "\(name) must be http://[user:password@]host[:port], not \(url)")
        }
        proxy.exclusions = exclusions.compactMap(normalizedExclusion)
        return proxy
    }

    /// `http://[user[:password]@]host[:port][/]` or the same without the scheme; percent
    /// escapes in the user info are decoded.
    static func parse(url: String) -> UpstreamProxy? {
        var rest = Substring(url)
        if rest.hasPrefix("http://") {
            rest = rest.dropFirst(7)
        } else if rest.contains("://") {
            return nil  // https:// (TLS to the proxy itself) and socks are not supported
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = percentDecoded(parts[0]) else { return nil }
            username = user
            if parts.count == 2 {
                guard let secret = percentDecoded(parts[1]) else { return nil }
                password = secret
            }
        }
        guard let (host, port) = UpstreamEndpoint.hostAndPort(rest) else { return nil }
        return UpstreamProxy(host: host, port: port ?? 80, username: username, password: password)
    }

    /// Whether a connection to `endpoint` goes through this proxy: `https` endpoints that no
    /// exclusion names.
    public func applies(to endpoint: UpstreamEndpoint) -> Bool {
        guard endpoint.scheme == .https else { return false }
        let host = endpoint.host.lowercased()
        for exclusion in exclusions {
            if exclusion == "*" { return false }
            var name = Substring(exclusion)
            if let (entryHost, entryPort) = UpstreamEndpoint.hostAndPort(name), let entryPort {
                guard entryPort == endpoint.port else { continue }
                name = Substring(entryHost)
            } else if name.hasPrefix("["), name.hasSuffix("]") {
                name = name.dropFirst().dropLast()
            }
            if host == name || host.hasSuffix("." + name) { return false }
        }
        return true
    }

    /// The proxy as an endpoint, for connecting and for messages.
    var endpoint: UpstreamEndpoint { UpstreamEndpoint(scheme: .http, host: host, port: port) }

    /// An entry trimmed and lower-cased, with a leading `.` or `*.` dropped; nil when empty.
    private static func normalizedExclusion(_ entry: String) -> String? {
        var text = Substring(entry.lowercased())
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        if text.hasPrefix("*.") { text = text.dropFirst(2) } else if text.hasPrefix(".") { text = text.dropFirst() }
        return text.isEmpty ? nil : String(text)
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
