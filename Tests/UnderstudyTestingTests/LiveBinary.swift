import Foundation
import UnderstudyTesting

/// The built `understudy` binary run as a separate process for `.live` tests: the one beside
/// this test bundle (`.build/debug`, or `.build-tsan/…` under ThreadSanitizer), on a free
/// loopback port, stopped when the test's closure ends.
enum LiveBinary {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no understudy binary at \(path): build it (swift build) first" }
    }

    static var path: String {
        if let given = ProcessInfo.processInfo.environment["UNDERSTUDY_BINARY"] { return given }
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("understudy").path
    }

    /// Runs `body` with the base URL of a fresh binary serving `arguments`.
    static func with<Result>(_ arguments: [String] = ["--time-scale", "0"], _ body: (String) async throws -> Result) async throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["serve", "--port", String(port)] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let url = "http://127.0.0.1:\(port)"
        try await waitUntilReady(url, process: process)
        return try await body(url)
    }

    private static func waitUntilReady(_ url: String, process: Process) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw HarnessError.notReachable(url, reason: "the binary exited \(process.terminationStatus)") }
            if (try? await Understudy.withServer(.live(url)) { _ in true }) == true { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError.notReachable(url, reason: "not ready within 15 s")
    }

    /// A port the kernel just had free on 127.0.0.1.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs the same test body against a server in memory (no socket), in this process on a
/// socket, and as the built binary.
func everyTransport(_ body: (TestServer) async throws -> Void) async throws {
    try await Understudy.withServer(.inMemory) { try await body($0) }
    try await Understudy.withServer(.inProcess) { try await body($0) }
    try await LiveBinary.with { url in try await Understudy.withServer(.live(url)) { try await body($0) } }
}
