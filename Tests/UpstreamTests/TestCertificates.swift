import Foundation
import XCTest

/// Certificates made by the `openssl` tool when a test starts, in a directory of their own: a
/// test CA and a server certificate it signed for `localhost` and `127.0.0.1`, one it signed
/// for another host, and a second CA nobody trusts with a `localhost` certificate of its own.
/// Made at test time (EC P-256, valid two days) so nothing secret or expiring is committed.
final class TestCertificates: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: URL
    let openssl: String

    var caFile: String { path("ca.pem") }
    /// `localhost` and `127.0.0.1`, signed by the test CA.
    var server: (certificate: String, key: String) { (path("server.pem"), path("server.key")) }
    /// `other.example` only, signed by the test CA.
    var wrongHost: (certificate: String, key: String) { (path("wrong-host.pem"), path("wrong-host.key")) }
    /// `localhost`, signed by a CA that is in no trust store.
    var untrusted: (certificate: String, key: String) { (path("untrusted.pem"), path("untrusted.key")) }
    var untrustedCAFile: String { path("untrusted-ca.pem") }

    /// Skips the test when there is no `openssl` on the PATH.
    init() throws {
        guard let openssl = Self.executable("openssl") else { throw XCTSkip("no openssl on the PATH") }
        self.openssl = openssl
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("upstream-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try makeCA("ca", subject: "/CN=Understudy Test CA")
        try makeCA("untrusted-ca", subject: "/CN=Understudy Untrusted CA")
        try makeLeaf("server", signedBy: "ca", names: "DNS:localhost,IP:127.0.0.1")
        try makeLeaf("wrong-host", signedBy: "ca", names: "DNS:other.example")
        try makeLeaf("untrusted", signedBy: "untrusted-ca", names: "DNS:localhost,IP:127.0.0.1")
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes a file into the directory (for `s_server -WWW` to serve).
    func write(_ text: String, to name: String) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private func makeCA(_ name: String, subject: String) throws {
        try run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("\(name).key"),
            "-out", path("\(name).pem"), "-days", "2", "-subj", subject,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func makeLeaf(_ name: String, signedBy ca: String, names: String) throws {
        try run([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path("\(name).key"),
            "-out", path("\(name).csr"), "-subj", "/CN=\(name)",
        ])
        try "subjectAltName=\(names)\nextendedKeyUsage=serverAuth\n".write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
        try run([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).pem"), "-CAkey", path("\(ca).key"), "-set_serial",
            String(UInt32.random(in: 1...UInt32.max)), "-out", path("\(name).pem"), "-days", "2", "-extfile", path("\(name).ext"),
        ])
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
