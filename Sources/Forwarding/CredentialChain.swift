import Locking

/// Finds the user's AWS credentials as the AWS SDKs' default chain does, for the parts that
/// make sense on a developer's machine or a CI runner, and keeps them until they are about to
/// expire:
///
/// 1. `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`); half a pair
///    is an error, as in botocore.
/// 2. The profile (`AWS_PROFILE`, default `default`) of the shared files, in botocore's order:
///    keys in the credentials file, then `credential_process` (from either file, the
///    credentials file winning), then keys in the config file.
///
/// A profile botocore would resolve by assuming a role, SSO, web identity or an `aws login`
/// session is refused with a message rather than signed for with whatever keys sit beside
/// those settings: the recording must act as the identity the user's own tools would.
/// Container and instance metadata endpoints are not consulted.
///
/// Resolution runs once at a time: callers that arrive while a credential process runs wait
/// for its answer instead of starting another.
public actor CredentialChain {
    /// Temporary credentials are fetched again this long before they expire, so a call is never
    /// signed with credentials that lapse while it is in flight.
    public static let refreshMarginSeconds: Int64 = 300

    let environment: HostEnvironment
    let profileOverride: String?
    /// The credentials found last, readable without entering the actor: a forwarded call signs
    /// with them without a hop to the actor's executor and back before its request can go. The
    /// actor serialises finding them.
    private nonisolated let cached = Locked<AWSCredentials?>(nil)
    var inFlight: Task<Result<AWSCredentials, CredentialsError>, Never>?

    /// - Parameter profile: a profile to use instead of `AWS_PROFILE` (a configuration file may
    ///   name one); it must exist.
    public init(environment: HostEnvironment, profile: String? = nil) {
        self.environment = environment
        self.profileOverride = profile
    }

    /// Fixed credentials, for tests and for a configuration that names them outright.
    public init(fixed credentials: AWSCredentials, environment: HostEnvironment) {
        self.environment = environment
        self.profileOverride = nil
        self.cached.withLock { $0 = credentials }
    }

    /// Credentials that are good for at least `refreshMarginSeconds` more, or as long as the
    /// source can give.
    public nonisolated func credentials() async throws(CredentialsError) -> AWSCredentials {
        if let cached = cached.withLock({ $0 }), isFresh(cached) { return cached }
        return try await resolved()
    }

    private func resolved() async throws(CredentialsError) -> AWSCredentials {
        if let cached = cached.withLock({ $0 }), isFresh(cached) { return cached }
        if let inFlight { return try await inFlight.value.get() }
        let environment = environment
        let profileOverride = profileOverride
        let task = Task { () -> Result<AWSCredentials, CredentialsError> in
            do throws(CredentialsError) {
                return .success(try await Self.resolve(environment: environment, profile: profileOverride))
            } catch {
                return .failure(error)
            }
        }
        inFlight = task
        let result = await task.value
        inFlight = nil
        if case .success(let credentials) = result { cached.withLock { $0 = credentials } }
        return try result.get()
    }

    /// Forgets the cached credentials (after upstream said they expired or were revoked, or the
    /// files changed); the next call resolves again.
    public func invalidate() { cached.withLock { $0 = nil } }

    nonisolated func isFresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return environment.now() < expiration - Self.refreshMarginSeconds
    }

    /// One walk down the chain, no caching.
    public static func resolve(environment: HostEnvironment, profile override: String? = nil) async throws(CredentialsError) -> AWSCredentials {
        if let credentials = try fromEnvironment(environment) { return credentials }
        let shared = try SharedConfiguration.load(from: environment)
        let (name, explicit) = SharedConfiguration.selectedProfile(in: environment, override: override)
        guard let profile = shared.profile(name) else {
            throw explicit ? .profileNotFound(name) : .noCredentials(profile: name)
        }
        for setting in ["role_arn", "sso_session", "sso_start_url", "web_identity_token_file"] where profile[setting] != nil {
            throw .unsupportedProfile(profile: name, setting: setting)
        }
        if let keys = try staticKeys(shared.credentials.profiles[name], kind: .credentials, accountId: profile["aws_account_id"]) {
            return keys
        }
        // botocore's `aws login` sessions come after the credentials file, before the process.
        if profile["login_session"] != nil { throw .unsupportedProfile(profile: name, setting: "login_session") }
        if let command = profile["credential_process"] {
            var credentials = try await CredentialProcess(profile: name, command: command).run(in: environment)
            if credentials.accountId == nil { credentials.accountId = profile["aws_account_id"] }
            return credentials
        }
        if let keys = try staticKeys(shared.config.profiles[name], kind: .config, accountId: profile["aws_account_id"]) {
            return keys
        }
        throw .noCredentials(profile: name)
    }

    static func fromEnvironment(_ environment: HostEnvironment) throws(CredentialsError) -> AWSCredentials? {
        switch (environment.setting("AWS_ACCESS_KEY_ID"), environment.setting("AWS_SECRET_ACCESS_KEY")) {
        case (nil, nil):
            return nil
        case (_?, nil):
            throw .partialEnvironment(missing: "AWS_SECRET_ACCESS_KEY")
        case (nil, _?):
            throw .partialEnvironment(missing: "AWS_ACCESS_KEY_ID")
        case (let key?, let secret?):
            return AWSCredentials(
                accessKeyId: key, secretAccessKey: secret,
                sessionToken: environment.setting("AWS_SESSION_TOKEN") ?? environment.setting("AWS_SECURITY_TOKEN"),
                accountId: environment.setting("AWS_ACCOUNT_ID"), source: .environment)
        }
    }

    /// A profile's own key pair, nil when it has none; half a pair is an error.
    static func staticKeys(_ profile: Profile?, kind: ProfileFile.Kind, accountId: String?) throws(CredentialsError) -> AWSCredentials? {
        guard let profile else { return nil }
        switch (profile["aws_access_key_id"], profile["aws_secret_access_key"]) {
        case (nil, nil):
            return nil
        case (_?, nil):
            throw .partialProfile(profile: profile.name, file: kind, missing: "aws_secret_access_key")
        case (nil, _?):
            throw .partialProfile(profile: profile.name, file: kind, missing: "aws_access_key_id")
        case (let key?, let secret?):
            return AWSCredentials(
                accessKeyId: key, secretAccessKey: secret, sessionToken: profile["aws_session_token"] ?? profile["aws_security_token"],
                accountId: accountId,
                source: kind == .credentials ? .sharedCredentialsFile(profile: profile.name) : .configFile(profile: profile.name))
        }
    }
}
