/// Why no credentials could be found to sign a forwarded call with. Each message says where
/// the recorder looked and what to do; none quotes a secret, a token, a process's standard
/// output (where the secret would be) or a line of a profile file.
public enum CredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing in the environment, the files or the profile.
    case noCredentials(profile: String)
    /// `AWS_ACCESS_KEY_ID` without `AWS_SECRET_ACCESS_KEY`, or the reverse.
    case partialEnvironment(missing: String)
    /// `AWS_PROFILE` (or the configured profile) names a profile neither file has.
    case profileNotFound(String)
    /// A profile with one of the key pair but not the other.
    case partialProfile(profile: String, file: ProfileFile.Kind, missing: String)
    /// A profile that gets its credentials in a way the recorder does not implement
    /// (`role_arn`, SSO, web identity).
    case unsupportedProfile(profile: String, setting: String)
    case malformedFile(ProfileFileError)
    /// `credential_process` could not be split into words.
    case processCommandInvalid(profile: String, reason: String)
    case processNotStarted(profile: String, reason: String)
    /// The process ran and failed: its exit status and the start of what it wrote to stderr,
    /// which the SDKs show too (and the AWS CLI guide tells helpers to keep secrets out of).
    case processFailed(profile: String, status: Int32, signaled: Bool, timedOut: Bool, stderr: String)
    /// It succeeded but its output is not what the SDKs accept.
    case processOutputInvalid(profile: String, reason: String)
    /// It returned credentials that have already expired.
    case processCredentialsExpired(profile: String, expiration: String)

    public var description: String {
        switch self {
        case .noCredentials(let profile):
            return
                "no AWS credentials to forward with: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give profile \(profile) keys or a credential_process in the shared credentials or config file"
        case .partialEnvironment(let missing):
            return "the environment has half of an AWS key pair: \(missing) is not set"
        case .profileNotFound(let profile):
            return "the AWS profile \(profile) is in neither the shared credentials file nor the config file"
        case .partialProfile(let profile, let file, let missing):
            return "profile \(profile) in the \(file.rawValue) file has half of a key pair: \(missing) is missing"
        case .unsupportedProfile(let profile, let setting):
            return
                "profile \(profile) uses \(setting), which the recorder does not resolve; give it `credential_process = aws configure export-credentials --profile \(profile) --format process` in another profile, or export the credentials into the environment"
        case .malformedFile(let error):
            return error.description
        case .processCommandInvalid(let profile, let reason):
            return "the credential_process of profile \(profile) cannot be split into words: \(reason)"
        case .processNotStarted(let profile, let reason):
            return "the credential_process of profile \(profile) did not start: \(reason)"
        case .processFailed(let profile, let status, let signaled, let timedOut, let stderr):
            let how =
                timedOut ? "did not answer in time and was stopped" : signaled ? "was killed by signal \(status)" : "exited with status \(status)"
            return "the credential_process of profile \(profile) \(how)" + (stderr.isEmpty ? "" : ": \(stderr)")
        case .processOutputInvalid(let profile, let reason):
            return "the credential_process of profile \(profile) wrote output the AWS SDKs do not accept: \(reason)"
        case .processCredentialsExpired(let profile, let expiration):
            return "the credential_process of profile \(profile) returned credentials that expired at \(expiration)"
        }
    }
}
