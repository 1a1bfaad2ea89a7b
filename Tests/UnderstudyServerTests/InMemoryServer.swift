import ServiceKit
import UnderstudyServer
import UnderstudyTesting

/// The server tests' one way in: the test harness's in-memory server (no socket) on a clock
/// pinned to 2024-05-24T12:00:00Z, so signatures and timestamps in answers are fixed.
enum InMemoryServer {
    static let pinnedMillis: Int64 = 1_716_552_000_000

    static func with<Result: Sendable>(
        _ configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        var configuration = ServerConfiguration()
        configure(&configuration)
        return try await Understudy.withServer(.inMemory(configuration, clock: ManualClock(millis: pinnedMillis)), body)
    }
}
