import AWSWire
import JSONCore

/// A profile's `credential_process`: the command, run without a shell, and the JSON it must
/// print (the SDKs and Tools reference guide, "process credential provider"):
/// `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`,
/// with `SessionToken`, `Expiration` (RFC 3339) and `AccountId` optional.
public struct CredentialProcess: Sendable, Equatable {
    public var profile: String
    public var command: String

    /// How much of a failing process's stderr an error quotes: enough to say what went wrong,
    /// not a log's worth.
    static let stderrQuoteLimit = 512

    public init(profile: String, command: String) {
        self.profile = profile
        self.command = command
    }

    /// Runs the command and reads its credentials.
    public func run(in environment: HostEnvironment) async throws(CredentialsError) -> AWSCredentials {
        let arguments: [String]
        do {
            arguments = try ShellWords.split(command)
        } catch {
            throw .processCommandInvalid(profile: profile, reason: error == .unterminatedQuote ? "a quote is not closed" : "it ends with a lone backslash")
        }
        let output: ProcessOutput
        do {
            output = try await environment.runProcess(arguments)
        } catch {
            switch error {
            case .emptyCommand: throw .processCommandInvalid(profile: profile, reason: "it is empty")
            case .notFound(let program): throw .processNotStarted(profile: profile, reason: "\(program) is not an executable file or on PATH")
            case .couldNotStart(let reason): throw .processNotStarted(profile: profile, reason: reason)
            }
        }
        guard output.status == 0, !output.signaled, !output.timedOut else {
            throw .processFailed(
                profile: profile, status: output.status, signaled: output.signaled, timedOut: output.timedOut,
                stderr: Self.quote(output.stderr))
        }
        guard !output.truncated else { throw .processOutputInvalid(profile: profile, reason: "it wrote more than a megabyte") }
        return try parse(output.stdout, now: environment.now())
    }

    /// Reads the process's standard output. Messages name what is wrong, never the text.
    public func parse(_ stdout: [UInt8], now: Int64) throws(CredentialsError) -> AWSCredentials {
        func invalid(_ reason: String) -> CredentialsError { .processOutputInvalid(profile: profile, reason: reason) }
        guard let document = try? JSONParser.parse(stdout), let object = document.objectValue else {
            throw invalid("it is not a JSON object")
        }
        guard let version = object["Version"] else { throw invalid("Version is missing") }
        guard version.numberValue?.doubleValue == 1 else { throw invalid("Version is \(Self.shown(version)), and only 1 is supported") }
        func string(_ key: String, required: Bool) throws(CredentialsError) -> String? {
            guard let value = object[key], !value.isNull else {
                if required { throw invalid("\(key) is missing") }
                return nil
            }
            guard let text = value.stringValue else { throw invalid("\(key) is not a string") }
            if required, text.isEmpty { throw invalid("\(key) is empty") }
            return text
        }
        let accessKeyId = try string("AccessKeyId", required: true)!
        let secret = try string("SecretAccessKey", required: true)!
        let token = try string("SessionToken", required: false).flatMap { $0.isEmpty ? nil : $0 }
        var expiration: Int64?
        if let text = try string("Expiration", required: false) {
            guard let millis = AWSTimestamp.epochMillis(iso8601: text) else { throw invalid("Expiration is not an RFC 3339 time") }
            expiration = millis / 1000
            if millis / 1000 <= now { throw .processCredentialsExpired(profile: profile, expiration: text) }
        }
        return AWSCredentials(
            accessKeyId: accessKeyId, secretAccessKey: secret, sessionToken: token, expiration: expiration,
            accountId: try string("AccountId", required: false), source: .credentialProcess(profile: profile))
    }

    /// A version is shown only when it is a number or short text; anything else by its type.
    static func shown(_ value: JSONValue) -> String {
        if let number = value.numberValue, number.text.count <= 16 { return number.text }
        if let text = value.stringValue, text.count <= 8 { return "\"\(text)\"" }
        return "a \(value.typeName)"
    }

    static func quote(_ stderr: [UInt8]) -> String {
        var text = String(decoding: stderr.prefix(stderrQuoteLimit), as: UTF8.self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return stderr.count > stderrQuoteLimit ? text + "…" : text
    }
}
