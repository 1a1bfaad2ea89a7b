public import ServiceKit
public import UnderstudyServer

/// Where a test's server runs: the real server in this process on an ephemeral loopback port,
/// or an Understudy already running elsewhere (a container, the binary in CI), reached by URL.
/// The same test body runs against either, as Hummingbird's `TestingSetup` runs one test
/// against its router or a live server.
public enum UnderstudyTarget: Sendable {
    case inProcess(ServerConfiguration)
    /// The server's pipeline in this process with no socket at all, on `clock`: requests come
    /// back as the HTTP edge would write them, without HTTP. For tests of the server itself
    /// (a pinned clock, no ports); an SDK cannot reach it, as it has no endpoint.
    case inMemory(ServerConfiguration, clock: any ServerClock = SystemClock())
    /// The base URL of a running Understudy, e.g. `http://127.0.0.1:4566`.
    case live(String)

    /// In process with the default configuration, except executions on an instant clock.
    public static var inProcess: UnderstudyTarget {
        var configuration = ServerConfiguration()
        configuration.timeScale = 0
        return .inProcess(configuration)
    }

    /// In memory with the default configuration, except executions on an instant clock.
    public static var inMemory: UnderstudyTarget {
        var configuration = ServerConfiguration()
        configuration.timeScale = 0
        return .inMemory(configuration)
    }
}

/// The entry point of the test harness.
public enum Understudy {
    /// Starts a server, runs `body` with it, and stops it after `body` returns or throws. In
    /// process, each call has its own server with its own state, so tests can run in parallel;
    /// `.live` checks that the server answers before `body` runs. A server used after `body`
    /// ended throws `HarnessError.serverEnded`.
    public static func withServer<Result: Sendable>(
        _ target: UnderstudyTarget = .inProcess, _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        let server: TestServer
        switch target {
        case .inProcess(let configuration): server = try await TestServer.startInProcess(configuration)
        case .inMemory(let configuration, let clock): server = try TestServer.startInMemory(configuration, clock: clock)
        case .live(let url): server = try await TestServer.connect(url)
        }
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// In process with `configuration` (its host and port are ignored: loopback, an ephemeral
    /// port).
    public static func withServer<Result: Sendable>(
        _ configuration: ServerConfiguration, _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        try await withServer(.inProcess(configuration), body)
    }
}

extension UnderstudyTarget: CustomStringConvertible {
    /// Short, for test names (Swift Testing prints arguments with it).
    public var description: String {
        switch self {
        case .inProcess: return "in process"
        case .inMemory: return "in memory"
        case .live(let url): return "live at \(url)"
        }
    }
}
