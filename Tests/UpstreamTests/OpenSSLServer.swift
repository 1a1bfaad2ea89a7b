import Foundation
import Locking
import XCTest

/// `openssl s_server` on an ephemeral loopback port, as the TLS peer of a test. With `-WWW` it
/// serves the files of the certificates' directory over HTTP/1.0; without, it is a raw TLS
/// pipe: what the test `send`s goes to the client as it is written (so a test decides when
/// each piece of an answer leaves), and what the client sends shows in `output`.
final class OpenSSLServer: Sendable {
    private let process = Process()
    private let input = Pipe()
    private let outputFile: URL
    /// Kept, so the directory with the certificates and the log outlives the server.
    private let certificates: TestCertificates
    let port: Int

    /// Servers still running, killed when the test process exits: a test that gave up on a
    /// hung client (`withTestDeadline`) leaves its server referenced, and an s_server outlives
    /// the process that started it.
    private static let running = Locked<Set<Int32>>([])
    private static let killAtExit: Void = {
        atexit {
            for pid in OpenSSLServer.running.withLock({ $0 }) { kill(pid, SIGKILL) }
        }
    }()

    /// Starts the server with `certificate` and waits (at most 10 s) until it listens.
    init(_ certificates: TestCertificates, certificate: (certificate: String, key: String), arguments: [String] = []) throws {
        self.certificates = certificates
        outputFile = certificates.directory.appendingPathComponent("s_server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: outputFile)
        process.executableURL = URL(fileURLWithPath: certificates.openssl)
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate.certificate, "-key", certificate.key, "-ign_eof"] + arguments
        process.currentDirectoryURL = certificates.directory
        process.standardInput = input
        process.standardOutput = log
        process.standardError = log
        Self.killAtExit
        try process.run()
        let pid = process.processIdentifier
        Self.running.withLock { _ = $0.insert(pid) }
        let started = Date()
        var port: Int?
        while port == nil, Date().timeIntervalSince(started) < 10, process.isRunning {
            port = Self.listeningPort(in: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "")
            if port == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let port else {
            kill(pid, SIGKILL)
            process.waitUntilExit()
            Self.running.withLock { _ = $0.remove(pid) }
            let log = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
            throw TestCertificates.Failure(description: "s_server did not start: \(log)")
        }
        self.port = port
    }

    deinit { stop() }

    /// SIGKILL, not `terminate()`: a child started from a test thread inherits a signal mask
    /// that blocks SIGTERM, and would outlive the test.
    func stop() {
        let pid = process.processIdentifier
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        Self.running.withLock { _ = $0.remove(pid) }
    }

    /// Everything the server printed: its log, and in raw mode what the client sent.
    var output: String { String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self) }

    /// Sends bytes to the connected client (raw mode). Throws, rather than raising SIGPIPE,
    /// when the server has gone (the tests ignore SIGPIPE).
    func send(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Waits until `output` contains `text`; false after `seconds`.
    func waitForOutput(containing text: String, seconds: Double = 10) async -> Bool {
        let started = Date()
        while Date().timeIntervalSince(started) < seconds {
            if output.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// `ACCEPT 127.0.0.1:40123`, as s_server prints it once it listens.
    private static func listeningPort(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }), let colon = line.lastIndex(of: ":") else { return nil }
        return Int(line[line.index(after: colon)...])
    }
}
