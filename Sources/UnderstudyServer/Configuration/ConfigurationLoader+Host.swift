extension ConfigurationLoader {
    /// Checks an address to bind (`--host`, `server.host`, `UNDERSTUDY_HOST`) and returns it as
    /// bind wants it.
    ///
    /// A port written into the address (`127.0.0.1:4778`, `localhost:4566`, `[::1]:4566`) would
    /// otherwise reach the resolver as a host name and fail only at bind time, with a
    /// `SocketAddressError` that names neither the setting nor the fix; so it is refused here,
    /// saying where the port goes instead. An IPv6 literal has two colons or more, which is how
    /// `::1` is told from `host:port`; a bracketed one (`[::1]`) loses its brackets, which are URL
    /// syntax that bind does not take.
    ///
    /// - Parameters:
    ///   - path: the setting as the user wrote it (`--host`, `server.host`, `UNDERSTUDY_HOST`).
    ///   - source: the file or `environment` the value came from; nil for a flag.
    ///   - portSetting: how the port is given in the same place, up to the value (`--port `,
    ///     `server.port: `, `UNDERSTUDY_PORT=`), to suggest the fix.
    public static func host(_ text: String, _ path: String, _ source: String?, portSetting: String) throws -> String {
        let prefix = source.map { "\($0): " } ?? ""
        func withPort(_ port: Substring) -> ConfigurationError {
            let example = !port.isEmpty && port.allSatisfy(\.isASCIIDigit) ? String(port) : "N"
            return ConfigurationError(
                "\(prefix)\(path) takes an address without a port, not '\(text)'; give the port separately: \(portSetting)\(example)")
        }
        guard !text.isEmpty else { throw ConfigurationError("\(prefix)\(path) must be an address, such as 127.0.0.1") }
        if text.contains("://") || text.contains("/") {
            throw ConfigurationError("\(prefix)\(path) takes an address such as 127.0.0.1 or ::1, not '\(text)'")
        }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text.index(after: text.startIndex) < close else {
                throw ConfigurationError("\(prefix)\(path) takes an address such as 127.0.0.1 or ::1, not '\(text)'")
            }
            let address = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return String(address) }
            guard rest.hasPrefix(":") else {
                throw ConfigurationError("\(prefix)\(path) takes an address such as 127.0.0.1 or ::1, not '\(text)'")
            }
            throw withPort(rest.dropFirst())
        }
        let colons = text.count(where: { $0 == ":" })
        if colons == 1, let colon = text.firstIndex(of: ":") {
            throw withPort(text[text.index(after: colon)...])
        }
        return text
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
