/// How the Authenticate stage treats callers (`auth.mode`, `--auth`).
public enum AuthMode: String, Sendable, CaseIterable {
    /// Accept anything; the account comes from a 12-digit access key id, the region from the
    /// SigV4 scope.
    case lenient
    /// Verify SigV4 and Bedrock bearer tokens against configured credentials.
    case strict
    /// Ignore authentication entirely: every caller is the default account in us-east-1.
    case off
}
