/// The shared `config` or `credentials` file, parsed as the AWS SDKs parse it (the SDKs and
/// Tools reference guide, "shared config and credentials files"; the Rust and Java SDKs'
/// profile parsers follow the same rules):
///
/// - `#` and `;` start a comment line (indented ones too, as botocore's parser has it); after a
///   section header's `]` they start a comment at once; in a setting's value only when
///   whitespace precedes them, so `secret = abc#def` keeps its `#`.
/// - `[name]` opens a section. In the config file a profile is `[profile NAME]`, except
///   `[default]`; other sections (`[sso-session x]`, `[services x]`) are read and ignored. In the
///   credentials file every section is a profile, named as written.
/// - `key = value`, names lowercased, both sides trimmed of spaces and tabs.
/// - An indented line continues the setting above it: under a setting with an empty value it is
///   a sub-setting (`key = value`); otherwise it is appended to the value after a newline.
///
/// A line that fits none of these is an error naming the line number, never the line itself,
/// which may hold a secret.
public struct ProfileFile: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case config
        case credentials
    }

    public var kind: Kind
    /// Profiles by name; a profile defined twice is merged, the later setting winning.
    public var profiles: [String: Profile]

    public init(kind: Kind, profiles: [String: Profile] = [:]) {
        self.kind = kind
        self.profiles = profiles
    }

    public init(parsing text: String, kind: Kind) throws(ProfileFileError) {
        self.init(kind: kind)
        var reader = Reader(kind: kind)
        var number = 0
        // "\r\n" is one Character in Swift, so both endings are named.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            try reader.read(rawLine, number: number, into: &profiles)
        }
    }

    /// Parser state between lines.
    struct Reader {
        let kind: Kind
        var inSection = false
        /// The profile being filled; nil inside a section that is not a profile.
        var profile: String?
        /// The setting an indented line would continue.
        var setting: String?
        var settingTakesSubSettings = false

        init(kind: Kind) { self.kind = kind }

        mutating func read(_ rawLine: Substring, number: Int, into profiles: inout [String: Profile]) throws(ProfileFileError) {
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = Self.trim(line)
            if trimmed.isEmpty || trimmed.first == "#" || trimmed.first == ";" { return }
            func failure(_ reason: String) -> ProfileFileError { ProfileFileError(kind: kind, line: number, reason: reason) }
            if line.first == " " || line.first == "\t" {
                guard inSection else { throw failure("an indented line before any section") }
                guard let setting else { throw failure("an indented line that continues no setting") }
                if settingTakesSubSettings {
                    guard let (key, value) = Self.keyValue(trimmed) else { throw failure("a sub-setting without a name and '='") }
                    if let profile { profiles[profile]?.subSettings[setting, default: [:]][key] = value }
                } else if let profile {
                    let more = Self.trim(Self.strippingComment(trimmed, needsWhitespace: true))
                    profiles[profile]?.settings[setting, default: ""] += "\n" + more
                }
                return
            }
            if trimmed.first == "[" {
                let header = Self.strippingComment(trimmed, needsWhitespace: false)
                guard header.last == "]" else { throw failure("a section header that does not end with ']'") }
                let inner = Self.trim(header.dropFirst().dropLast())
                guard !inner.isEmpty else { throw failure("a section header with no name") }
                inSection = true
                setting = nil
                profile = Self.profileName(section: inner, kind: kind)
                if let profile, profiles[profile] == nil { profiles[profile] = Profile(name: profile) }
                return
            }
            guard inSection else { throw failure("a setting before any section") }
            guard let (key, value) = Self.keyValue(trimmed) else { throw failure("a line that is not a section, a setting (`name = value`) or a comment") }
            setting = key
            settingTakesSubSettings = value.isEmpty
            if let profile { profiles[profile]?.settings[key] = value }
        }

        /// The profile a section header names, or nil for a section that is not a profile.
        static func profileName(section: Substring, kind: Kind) -> String? {
            if kind == .credentials { return String(section) }
            if section == "default" { return "default" }
            guard section.hasPrefix("profile"), let next = section.dropFirst(7).first, next == " " || next == "\t" else { return nil }
            let name = trim(section.dropFirst(7))
            return name.isEmpty ? nil : String(name)
        }

        /// `name = value` with the comment removed, the name lowercased; nil without both.
        static func keyValue(_ text: Substring) -> (String, String)? {
            let line = strippingComment(text, needsWhitespace: true)
            guard let equals = line.firstIndex(of: "=") else { return nil }
            let key = trim(line[..<equals])
            guard !key.isEmpty else { return nil }
            return (key.lowercased(), String(trim(line[line.index(after: equals)...])))
        }

        /// The text before the first `#` or `;` that starts a comment.
        static func strippingComment(_ text: Substring, needsWhitespace: Bool) -> Substring {
            var previousWasSpace = false
            for index in text.indices {
                let c = text[index]
                if c == "#" || c == ";", previousWasSpace || !needsWhitespace { return trim(text[..<index]) }
                previousWasSpace = c == " " || c == "\t"
            }
            return trim(text)
        }

        /// Spaces and tabs only: the format's whitespace.
        static func trim(_ text: Substring) -> Substring {
            var start = text.startIndex
            var end = text.endIndex
            while start < end, text[start] == " " || text[start] == "\t" { start = text.index(after: start) }
            while end > start, text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t" { end = text.index(before: end) }
            return text[start..<end]
        }
    }
}
