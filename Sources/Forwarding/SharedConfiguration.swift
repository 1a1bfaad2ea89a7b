/// The user's shared AWS files as the SDKs find them: `AWS_SHARED_CREDENTIALS_FILE` (default
/// `~/.aws/credentials`) and `AWS_CONFIG_FILE` (default `~/.aws/config`). A file that does not
/// exist is an empty one; one that does not parse is an error, since guessing around a broken
/// line could sign with the wrong identity.
public struct SharedConfiguration: Sendable, Equatable {
    public var credentials: ProfileFile
    public var config: ProfileFile

    public init(credentials: ProfileFile = ProfileFile(kind: .credentials), config: ProfileFile = ProfileFile(kind: .config)) {
        self.credentials = credentials
        self.config = config
    }

    public static func credentialsPath(in environment: HostEnvironment) -> String {
        environment.expandingHome(environment.setting("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
    }

    public static func configPath(in environment: HostEnvironment) -> String {
        environment.expandingHome(environment.setting("AWS_CONFIG_FILE") ?? "~/.aws/config")
    }

    public static func load(from environment: HostEnvironment) throws(CredentialsError) -> SharedConfiguration {
        func read(_ path: String, _ kind: ProfileFile.Kind) throws(CredentialsError) -> ProfileFile {
            guard let bytes = environment.readFile(path) else { return ProfileFile(kind: kind) }
            do {
                return try ProfileFile(parsing: String(decoding: bytes, as: UTF8.self), kind: kind)
            } catch {
                var located = error
                located.path = path
                throw .malformedFile(located)
            }
        }
        return SharedConfiguration(
            credentials: try read(credentialsPath(in: environment), .credentials),
            config: try read(configPath(in: environment), .config))
    }

    /// The profile the SDKs would use: the one named by the caller, else `AWS_PROFILE`, else
    /// `default`; `explicit` when it was named (a named profile must exist).
    public static func selectedProfile(in environment: HostEnvironment, override: String? = nil) -> (name: String, explicit: Bool) {
        if let override, !override.isEmpty { return (override, true) }
        if let name = environment.setting("AWS_PROFILE") { return (name, true) }
        return ("default", false)
    }

    /// A profile as botocore sees it: the config file's settings with the credentials file's
    /// laid over them; nil when neither file has it.
    public func profile(_ name: String) -> Profile? {
        switch (config.profiles[name], credentials.profiles[name]) {
        case (nil, nil): return nil
        case (let fromConfig?, nil): return fromConfig
        case (nil, let fromCredentials?): return fromCredentials
        case (let fromConfig?, let fromCredentials?): return fromConfig.merging(fromCredentials)
        }
    }

    /// The region the SDKs would pick with no region in code: `AWS_REGION`, then
    /// `AWS_DEFAULT_REGION`, then the profile's `region`. Forwarding uses the region of the
    /// client's own signature; this is for calls that carry none (bearer tokens).
    public func region(profile: String, environment: HostEnvironment) -> String? {
        environment.setting("AWS_REGION") ?? environment.setting("AWS_DEFAULT_REGION") ?? self.profile(profile)?["region"]
    }
}
