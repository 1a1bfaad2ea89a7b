import Forwarding
import Foundation
import XCTest

/// `credential_process` run for real: scripts in a temporary directory, through
/// `HostEnvironment.system`'s runner, the chain reading the profile from fixture variables
/// pointing at real files.
final class SystemProcessTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("forwarding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes an executable `#!/bin/sh` script and returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body).write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// The system environment but for the shared files, which point into the temporary
    /// directory, and the profile.
    func environment(config: String, timeout: Double = 60) throws -> HostEnvironment {
        let configPath = directory.appendingPathComponent("config").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        var environment = HostEnvironment.system(processTimeoutSeconds: timeout)
        let system = environment.variable
        let credentialsPath = directory.appendingPathComponent("absent-credentials").path
        environment.variable = { name in
            switch name {
            case "AWS_CONFIG_FILE": return configPath
            case "AWS_SHARED_CREDENTIALS_FILE": return credentialsPath
            case "AWS_PROFILE": return "proc"
            case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN": return nil
            default: return system(name)
            }
        }
        return environment
    }

    func testRunsTheProcessWithItsArgumentsAndNoShell() async throws {
        let counter = directory.appendingPathComponent("runs").path
        let path = try script(
            "creds with space.sh",
            """
            echo run >> '\(counter)'
            printf '{"Version": 1, "AccessKeyId": "ASIA%s", "SecretAccessKey": "secret-%s", "SessionToken": "token", "Expiration": "2999-01-01T00:00:00Z"}' "$1" "$2"
            """)
        let config = "[profile proc]\ncredential_process = \"\(path)\" 'FROM SCRIPT' $HOME\n"
        let chain = CredentialChain(environment: try environment(config: config))
        let found = try await chain.credentials()
        XCTAssertEqual(found.accessKeyId, "ASIAFROM SCRIPT")
        XCTAssertEqual(found.secretAccessKey, "secret-$HOME", "no shell expands the argument")
        XCTAssertEqual(found.sessionToken, "token")
        XCTAssertEqual(found.source, .credentialProcess(profile: "proc"))
        _ = try await chain.credentials()
        XCTAssertEqual(try String(contentsOfFile: counter, encoding: .utf8), "run\n", "cached: the process ran once")
    }

    /// Callers that arrive while the process runs share its one run.
    func testConcurrentCallersShareOneRun() async throws {
        let counter = directory.appendingPathComponent("runs").path
        let path = try script(
            "slow.sh",
            """
            echo run >> '\(counter)'
            sleep 0.3
            echo '{"Version": 1, "AccessKeyId": "ASIASLOW", "SecretAccessKey": "s"}'
            """)
        let chain = CredentialChain(environment: try environment(config: "[profile proc]\ncredential_process = \(path)\n"))
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await chain.credentials().accessKeyId } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(keys, Array(repeating: "ASIASLOW", count: 8))
        XCTAssertEqual(try String(contentsOfFile: counter, encoding: .utf8), "run\n")
    }

    func testFailingProcessNamesTheProfileAndQuotesStderrOnly() async throws {
        let path = try script(
            "fail.sh",
            """
            echo '{"Version": 1, "AccessKeyId": "AKIDLEAK", "SecretAccessKey": "stdout-secret"}'
            echo 'session expired: run aws sso login' >&2
            exit 4
            """)
        let chain = CredentialChain(environment: try environment(config: "[profile proc]\ncredential_process = \(path)\n"))
        do {
            _ = try await chain.credentials()
            XCTFail("resolved")
        } catch {
            XCTAssertEqual(
                error,
                .processFailed(profile: "proc", status: 4, signaled: false, timedOut: false, stderr: "session expired: run aws sso login"))
            XCTAssertEqual(
                "\(error)", "the credential_process of profile proc exited with status 4: session expired: run aws sso login")
            XCTAssertFalse("\(error)".contains("stdout-secret"))
        }
    }

    func testHungProcessIsStoppedAtTheTimeout() async throws {
        let path = try script("hang.sh", "exec sleep 30\n")
        let chain = CredentialChain(environment: try environment(config: "[profile proc]\ncredential_process = \(path)\n", timeout: 0.5))
        let started = ContinuousClock.now
        do {
            _ = try await chain.credentials()
            XCTFail("resolved")
        } catch {
            guard case .processFailed(let profile, let signal, true, true, _)? = error as CredentialsError? else { return XCTFail("\(error)") }
            XCTAssertEqual(profile, "proc")
            XCTAssertEqual(signal, SIGTERM, "SIGTERM reaches it: the child does not inherit a blocked signal mask")
            XCTAssertTrue("\(error)".contains("did not answer in time"), "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2), "stopped by SIGTERM, before the SIGKILL grace")
    }

    #if os(Linux)
    /// The helper starts with no signal blocked, though it is spawned from a Swift concurrency
    /// thread (which blocks nearly all of them).
    func testHelperStartsWithNoSignalsBlocked() async throws {
        let path = try script(
            "mask.sh",
            """
            blocked=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/self/status)
            printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "s"}' "$blocked"
            """)
        let found = try await CredentialChain(environment: try environment(config: "[profile proc]\ncredential_process = \(path)\n")).credentials()
        XCTAssertEqual(found.accessKeyId, "0000000000000000")
    }
    #endif

    func testMissingProgramAndProgramsOnPath() async throws {
        let missing = CredentialChain(environment: try environment(config: "[profile proc]\ncredential_process = /nonexistent/creds\n"))
        do {
            _ = try await missing.credentials()
            XCTFail("resolved")
        } catch {
            XCTAssertEqual(error, .processNotStarted(profile: "proc", reason: "/nonexistent/creds is not an executable file or on PATH"))
        }
        // `printf` found on PATH, its arguments passed as words.
        let onPath = CredentialChain(
            environment: try environment(
                config: #"[profile proc]"# + "\n" + #"credential_process = printf "{\"Version\":1,\"AccessKeyId\":\"AKIDPATH\",\"SecretAccessKey\":\"s\"}""# + "\n"))
        let found = try await onPath.credentials()
        XCTAssertEqual(found.accessKeyId, "AKIDPATH")
    }
}
