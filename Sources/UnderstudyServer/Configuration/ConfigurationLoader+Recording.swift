import AWSWire

extension ConfigurationLoader {
    /// `mode` (top level) and the `recording` section.
    static func applyRecording(_ root: [String: Any], to configuration: inout ServerConfiguration, source: String) throws {
        if let v = root["mode"] { configuration.recording.mode = try recordingMode(try string(v, "mode", source), "mode", source) }
        guard let section = root["recording"] else { return }
        let r = try mapping(section, "recording", source)
        try checkKeys(r, section: "recording", source: source)
        var settings = configuration.recording
        if let v = r["dir"] { settings.directory = try string(v, "recording.dir", source) }
        if let v = r["upstream"] {
            if let url = v as? String {
                settings.upstream = try upstreamURL(url, "recording.upstream", source)
            } else {
                let byService = try mapping(v, "recording.upstream", source)
                for (name, url) in byService {
                    let service = try recordedService(name, "recording.upstream", source)
                    settings.upstreamByService[service] = try upstreamURL(try string(url, "recording.upstream.\(name)", source), "recording.upstream.\(name)", source)
                }
            }
        }
        if let v = r["services"] {
            guard let items = v as? [Any] else { throw ConfigurationError("\(source): recording.services must be a list") }
            settings.services = Set(try items.enumerated().map { try recordedService(try string($0.element, "recording.services[\($0.offset)]", source), "recording.services", source) })
        }
        if let v = r["onMiss"] { settings.onMiss = try missPolicy(try string(v, "recording.onMiss", source), "recording.onMiss", source) }
        if let v = r["redact"] { settings.redact = try stringList(v, "recording.redact", source) }
        if let v = r["volatileFields"] { settings.volatileFields = try stringList(v, "recording.volatileFields", source) }
        if let v = r["secrets"] { settings.secrets = try stringList(v, "recording.secrets", source) }
        if let v = r["accounts"] {
            for (real, placeholder) in try mapping(v, "recording.accounts", source) {
                let path = "recording.accounts.\(real)"
                settings.accounts[try accountId(real, path, source)] = try accountId(try string(placeholder, path, source), path, source)
            }
        }
        if let v = r["caFile"] { settings.upstreamCAFile = try string(v, "recording.caFile", source) }
        if let v = r["insecureSkipVerify"] {
            guard let flag = v as? Bool else { throw ConfigurationError("\(source): recording.insecureSkipVerify must be true or false") }
            settings.insecureSkipVerify = flag
        }
        configuration.recording = settings
    }

    static func stringList(_ value: Any, _ path: String, _ source: String) throws -> [String] {
        guard let items = value as? [Any] else { throw ConfigurationError("\(source): \(path) must be a list") }
        return try items.enumerated().map { try string($0.element, "\(path)[\($0.offset)]", source) }
    }

    public static func recordingMode(_ text: String, _ path: String, _ source: String?) throws -> RecordingSettings.Mode {
        guard let mode = RecordingSettings.Mode(rawValue: text) else {
            throw ConfigurationError("\(source.map { "\($0): " } ?? "")\(path) must be one of \(RecordingSettings.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return mode
    }

    public static func missPolicy(_ text: String, _ path: String, _ source: String?) throws -> RecordingSettings.MissPolicy {
        guard let policy = RecordingSettings.MissPolicy(rawValue: text) else {
            throw ConfigurationError(
                "\(source.map { "\($0): " } ?? "")\(path) must be one of \(RecordingSettings.MissPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return policy
    }

    /// An `http://` or `https://` base URL with a host.
    public static func upstreamURL(_ text: String, _ path: String, _ source: String?) throws -> String {
        let lower = text.lowercased()
        let rest = lower.hasPrefix("https://") ? text.dropFirst(8) : lower.hasPrefix("http://") ? text.dropFirst(7) : nil
        guard let rest, let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty else {
            throw ConfigurationError("\(source.map { "\($0): " } ?? "")\(path) must be an http:// or https:// URL, not \(text)")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func recordedService(_ text: String, _ path: String, _ source: String) throws -> AWSService {
        guard let service = AWSService(rawValue: text), service != .admin else {
            throw ConfigurationError("\(source): \(path): \(text) is not one of states, bedrock-runtime, bedrock, s3")
        }
        return service
    }

    static func accountId(_ text: String, _ path: String, _ source: String) throws -> String {
        guard text.utf8.count == 12, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw ConfigurationError("\(source): \(path) must be a 12-digit account id")
        }
        return text
    }
}
