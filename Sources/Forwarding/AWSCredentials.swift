public import AWSWire

/// The user's own AWS credentials, which the recorder signs forwarded calls with.
///
/// Its descriptions and mirror show the access key id and where the credentials came from,
/// never the secret or the session token: a log line, an error message, `print`, `dump` or a
/// test failure that shows a value of this type must not put a secret on a screen or in a
/// cassette.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When they stop working, in seconds since 1970 (only for temporary credentials whose
    /// source said so, such as a `credential_process` with `Expiration`).
    public var expiration: Int64?
    /// The account they belong to, when the source names it (`AccountId` of a process,
    /// `aws_account_id` of a profile, `AWS_ACCOUNT_ID`); nil otherwise.
    public var accountId: String?
    public var source: CredentialSource

    public init(
        accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Int64? = nil,
        accountId: String? = nil, source: CredentialSource
    ) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.accountId = accountId
        self.source = source
    }

    /// What AWSWire's signer takes.
    public var sigV4: SigV4Credentials {
        SigV4Credentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    static let redacted = "<redacted>"

    public var description: String {
        var text = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: \(Self.redacted)"
        if sessionToken != nil { text += ", sessionToken: \(Self.redacted)" }
        if let expiration { text += ", expiration: \(AWSTimestamp.iso8601(epochMillis: expiration * 1000))" }
        if let accountId { text += ", accountId: \(accountId)" }
        return text + ", source: \(source))"
    }

    public var debugDescription: String { description }

    /// `dump` and the debugger read the mirror, not the description.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                ("accessKeyId", accessKeyId as Any),
                ("secretAccessKey", Self.redacted as Any),
                ("sessionToken", (sessionToken == nil ? "nil" : Self.redacted) as Any),
                ("expiration", expiration as Any),
                ("accountId", accountId as Any),
                ("source", source as Any),
            ],
            displayStyle: .struct)
    }
}
