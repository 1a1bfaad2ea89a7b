import AWSWire
import Forwarding
import XCTest

/// The chain over fixture hosts: environment first, then the profile's credentials-file keys,
/// its credential_process, its config-file keys; caching; errors.
final class CredentialChainTests: XCTestCase {
    static let credentialsPath = "/home/dev/.aws/credentials"
    static let configPath = "/home/dev/.aws/config"

    func resolve(_ host: FixtureHost, profile: String? = nil) async throws -> AWSCredentials {
        try await CredentialChain.resolve(environment: host.environment, profile: profile)
    }

    func assertFails(_ host: FixtureHost, profile: String? = nil, _ expected: CredentialsError, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            let found = try await resolve(host, profile: profile)
            XCTFail("resolved \(found)", file: file, line: line)
        } catch {
            XCTAssertEqual(error as? CredentialsError, expected, file: file, line: line)
        }
    }

    func testEnvironmentComesFirst() async throws {
        let host = FixtureHost(
            variables: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token", "AWS_PROFILE": "dev"],
            files: [Self.credentialsPath: "[dev]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n"])
        let found = try await resolve(host)
        XCTAssertEqual(found, AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token", source: .environment))
        host.set(variable: "AWS_SECRET_ACCESS_KEY", nil)
        await assertFails(host, .partialEnvironment(missing: "AWS_SECRET_ACCESS_KEY"))
        host.set(variable: "AWS_ACCESS_KEY_ID", "")
        let fromFile = try await resolve(host)
        XCTAssertEqual(fromFile.accessKeyId, "AKIDFILE", "an empty variable counts as unset")
        XCTAssertEqual(fromFile.source, .sharedCredentialsFile(profile: "dev"))
        XCTAssertNil(fromFile.sessionToken)
    }

    func testProfileSelectionAndFileLocations() async throws {
        let host = FixtureHost(files: [
            "/etc/aws/creds": "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = s\naws_session_token = t\n",
            "/etc/aws/config": "[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = s\naws_account_id = 111122223333\n",
        ])
        await assertFails(host, .noCredentials(profile: "default"))
        host.set(variable: "AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds")
        host.set(variable: "AWS_CONFIG_FILE", "/etc/aws/config")
        let byDefault = try await resolve(host)
        XCTAssertEqual(byDefault.accessKeyId, "AKIDDEFAULT")
        host.set(variable: "AWS_PROFILE", "ci")
        let ci = try await resolve(host)
        XCTAssertEqual(ci.accessKeyId, "AKIDCI")
        XCTAssertEqual(ci.sessionToken, "t")
        let overridden = try await resolve(host, profile: "cfg")
        XCTAssertEqual(overridden.accessKeyId, "AKIDCFG")
        XCTAssertEqual(overridden.source, .configFile(profile: "cfg"))
        XCTAssertEqual(overridden.accountId, "111122223333")
        await assertFails(host, profile: "missing", .profileNotFound("missing"))
        host.set(variable: "AWS_SHARED_CREDENTIALS_FILE", "~/creds")
        host.set(file: "/home/dev/creds", "[ci]\naws_access_key_id = AKIDHOME\naws_secret_access_key = s\n")
        let expanded = try await resolve(host)
        XCTAssertEqual(expanded.accessKeyId, "AKIDHOME", "~ is expanded with HOME")
    }

    /// botocore's order inside a profile: credentials-file keys, then credential_process, then
    /// config-file keys.
    func testOrderWithinAProfile() async throws {
        let host = FixtureHost(files: [
            Self.configPath: "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\ncredential_process = /bin/creds\n",
            Self.credentialsPath: "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s\n",
        ])
        host.script(json: #"{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "p"}"#)
        let first = try await resolve(host)
        XCTAssertEqual(first.accessKeyId, "AKIDCREDS")
        host.set(file: Self.credentialsPath, nil)
        let second = try await resolve(host)
        XCTAssertEqual(second.accessKeyId, "AKIDPROC")
        XCTAssertEqual(host.runs, [["/bin/creds"]])
        host.set(file: Self.configPath, "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n")
        let third = try await resolve(host)
        XCTAssertEqual(third.accessKeyId, "AKIDCONFIG")
    }

    func testHalfAKeyPairAndUnsupportedProfiles() async {
        let host = FixtureHost(files: [Self.credentialsPath: "[default]\naws_access_key_id = AKID\n"])
        await assertFails(host, .partialProfile(profile: "default", file: .credentials, missing: "aws_secret_access_key"))
        for setting in ["role_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base", "sso_session = corp", "sso_start_url = https://x",
            "web_identity_token_file = /t", "login_session = arn:aws:iam::1:user/u"]
        {
            host.set(file: Self.credentialsPath, nil)
            host.set(file: Self.configPath, "[profile team]\n\(setting)\ncredential_process = /bin/creds\n")
            let name = String(setting.prefix { $0 != " " })
            await assertFails(host, profile: "team", .unsupportedProfile(profile: "team", setting: name))
        }
        XCTAssertEqual(host.runs, [], "an unsupported profile's process is never run")
    }

    func testMalformedFileIsAnErrorNamingFileAndLine() async {
        let host = FixtureHost(files: [Self.configPath: "[default]\nregion = us-east-1\nthis line is wrong\n"])
        await assertFails(
            host,
            .malformedFile(ProfileFileError(kind: .config, path: Self.configPath, line: 3, reason: "a line that is not a section, a setting (`name = value`) or a comment")))
    }

    func testCredentialProcessOutputAndErrors() async throws {
        let host = FixtureHost(files: [Self.configPath: #"[profile p]"# + "\n" + #"credential_process = "/opt/my tools/creds" --role 'dev ops' x\"y"#])
        host.script(json: #"{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2024-05-24T13:00:00Z", "AccountId": "123456789012"}"#)
        let found = try await resolve(host, profile: "p")
        XCTAssertEqual(host.runs, [["/opt/my tools/creds", "--role", "dev ops", #"x"y"#]])
        XCTAssertEqual(
            found,
            AWSCredentials(
                accessKeyId: "ASIAPROC", secretAccessKey: "proc-secret", sessionToken: "proc-token", expiration: 1_716_555_600, accountId: "123456789012",
                source: .credentialProcess(profile: "p")))

        let failures: [(String, String)] = [
            ("not json", "it is not a JSON object"),
            (#"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#, "Version is missing"),
            (#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#, "Version is 2, and only 1 is supported"),
            (#"{"Version": 1, "SecretAccessKey": "S"}"#, "AccessKeyId is missing"),
            (#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": 5}"#, "SecretAccessKey is not a string"),
            (#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "tomorrow"}"#, "Expiration is not an RFC 3339 time"),
        ]
        for (json, reason) in failures {
            host.script(json: json)
            await assertFails(host, profile: "p", .processOutputInvalid(profile: "p", reason: reason))
        }
        host.script(json: #"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2024-05-24T11:59:59Z"}"#)
        await assertFails(host, profile: "p", .processCredentialsExpired(profile: "p", expiration: "2024-05-24T11:59:59Z"))
        host.script { _ in ProcessOutput(status: 3, stdout: Array(#"{"SecretAccessKey": "leaked"}"#.utf8), stderr: Array("token expired, run login\n".utf8)) }
        await assertFails(host, profile: "p", .processFailed(profile: "p", status: 3, signaled: false, timedOut: false, stderr: "token expired, run login"))
        host.script { _ throws(ProcessLaunchError) in throw .notFound("/opt/my tools/creds") }
        await assertFails(host, profile: "p", .processNotStarted(profile: "p", reason: "/opt/my tools/creds is not an executable file or on PATH"))
        host.set(file: Self.configPath, "[profile p]\ncredential_process = \"unclosed\n")
        await assertFails(host, profile: "p", .processCommandInvalid(profile: "p", reason: "a quote is not closed"))
    }

    /// Temporary credentials are kept until five minutes before they expire, then fetched
    /// again; credentials without an expiration are kept for good.
    func testCachingUntilFiveMinutesBeforeExpiration() async throws {
        let host = FixtureHost(files: [Self.configPath: "[default]\ncredential_process = /bin/creds\n"])
        host.script { _ in
            ProcessOutput(status: 0, stdout: Array(#"{"Version": 1, "AccessKeyId": "ASIA1", "SecretAccessKey": "S", "Expiration": "2024-05-24T13:00:00Z"}"#.utf8))
        }
        let chain = CredentialChain(environment: host.environment)
        _ = try await chain.credentials()
        host.advance(seconds: 3600 - 301)  // 12:54:59
        let cached = try await chain.credentials()
        XCTAssertEqual(cached.accessKeyId, "ASIA1")
        XCTAssertEqual(host.runs.count, 1)
        host.script { _ in
            ProcessOutput(status: 0, stdout: Array(#"{"Version": 1, "AccessKeyId": "ASIA2", "SecretAccessKey": "S", "Expiration": "2024-05-24T14:00:00Z"}"#.utf8))
        }
        host.advance(seconds: 1)  // 12:55:00, five minutes before
        let refreshed = try await chain.credentials()
        XCTAssertEqual(refreshed.accessKeyId, "ASIA2")
        XCTAssertEqual(host.runs.count, 2)
        await chain.invalidate()
        _ = try await chain.credentials()
        XCTAssertEqual(host.runs.count, 3, "invalidate forgets them")

        host.script(json: #"{"Version": 1, "AccessKeyId": "AKIDFOREVER", "SecretAccessKey": "S"}"#)
        await chain.invalidate()
        _ = try await chain.credentials()
        host.advance(seconds: 86_400 * 365)
        let forever = try await chain.credentials()
        XCTAssertEqual(forever.accessKeyId, "AKIDFOREVER")
        XCTAssertEqual(host.runs.count, 4)
    }

    /// A failure is not cached: the next call tries again.
    func testFailuresAreNotCached() async throws {
        let host = FixtureHost(files: [Self.configPath: "[default]\ncredential_process = /bin/creds\n"])
        host.script { _ in ProcessOutput(status: 1, stdout: []) }
        let chain = CredentialChain(environment: host.environment)
        do {
            _ = try await chain.credentials()
            XCTFail("resolved")
        } catch {}
        host.script(json: #"{"Version": 1, "AccessKeyId": "AKIDLATER", "SecretAccessKey": "S"}"#)
        let later = try await chain.credentials()
        XCTAssertEqual(later.accessKeyId, "AKIDLATER")
    }

    func testRegionResolution() throws {
        let host = FixtureHost(files: [Self.configPath: "[profile dev]\nregion = eu-central-1\n"])
        let shared = try SharedConfiguration.load(from: host.environment)
        XCTAssertEqual(shared.region(profile: "dev", environment: host.environment), "eu-central-1")
        host.set(variable: "AWS_DEFAULT_REGION", "us-west-1")
        XCTAssertEqual(shared.region(profile: "dev", environment: host.environment), "us-west-1")
        host.set(variable: "AWS_REGION", "ap-northeast-1")
        XCTAssertEqual(shared.region(profile: "dev", environment: host.environment), "ap-northeast-1")
        XCTAssertEqual(SharedConfiguration().region(profile: "x", environment: FixtureHost().environment), nil)
    }
}
