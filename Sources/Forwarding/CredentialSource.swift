/// Where a set of credentials was found, for messages ("from profile dev's credential_process").
public enum CredentialSource: Sendable, Equatable, CustomStringConvertible {
    case environment
    case sharedCredentialsFile(profile: String)
    case credentialProcess(profile: String)
    case configFile(profile: String)
    /// Handed in by the caller (tests, or a configuration that names them).
    case supplied

    public var description: String {
        switch self {
        case .environment: return "environment variables"
        case .sharedCredentialsFile(let profile): return "profile \(profile) in the shared credentials file"
        case .credentialProcess(let profile): return "credential_process of profile \(profile)"
        case .configFile(let profile): return "profile \(profile) in the config file"
        case .supplied: return "supplied credentials"
        }
    }
}
