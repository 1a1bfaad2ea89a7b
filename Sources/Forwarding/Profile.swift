/// One profile of the shared `config` or `credentials` file: its settings by lowercased name,
/// and the indented sub-settings under a setting with no value of its own (`s3 =` then
/// `  addressing_style = path`), which nothing here reads but the parser must accept.
public struct Profile: Sendable, Equatable {
    public var name: String
    public var settings: [String: String]
    public var subSettings: [String: [String: String]]

    public init(name: String, settings: [String: String] = [:], subSettings: [String: [String: String]] = [:]) {
        self.name = name
        self.settings = settings
        self.subSettings = subSettings
    }

    /// A setting's value; an empty value counts as unset, as the SDKs treat `key =`.
    public subscript(key: String) -> String? {
        guard let value = settings[key.lowercased()], !value.isEmpty else { return nil }
        return value
    }

    /// This profile with `other`'s settings laid over it.
    func merging(_ other: Profile) -> Profile {
        var merged = self
        merged.settings.merge(other.settings) { $1 }
        merged.subSettings.merge(other.subSettings) { $1 }
        return merged
    }
}
