import Foundation
import XCTest

@testable import Upstream

/// The upstream client's TLS against `openssl s_server` with certificates made at test time:
/// a good handshake carries an HTTP exchange; an untrusted CA, a certificate for another host
/// and a server below TLS 1.2 are refused with an error that says which, before any byte of the
/// request leaves; only `insecureSkipVerify` lets a bad certificate through.
final class UpstreamTLSTests: XCTestCase {
    override func setUp() {
        signal(SIGPIPE, SIG_IGN)
    }

    func testExchangeOverVerifiedTLSByNameAndByAddress() async throws {
        let certificates = try TestCertificates()
        try certificates.write("hello through TLS\n", to: "hello.txt")
        let server = try OpenSSLServer(certificates, certificate: certificates.server, arguments: ["-WWW"])
        let tls = try TLSClientContext(extraCAFile: certificates.caFile)
        for host in ["localhost", "127.0.0.1"] {
            let client = UpstreamHTTPClient(endpoint: UpstreamEndpoint(scheme: .https, host: host, port: server.port), tls: tls, timeoutSeconds: 10)
            let response = try await client.send(method: "GET", target: "/hello.txt", headers: [], body: [])
            XCTAssertEqual(response.status, 200, host)
            // s_server -WWW answers HTTP/1.0 with no length: the body ends at close_notify.
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "hello through TLS\n", host)
        }
    }

    /// Many records each way: a 3 MiB answer and a 1 MiB request body arrive whole.
    func testLargeBodiesBothWays() async throws {
        let certificates = try TestCertificates()
        let line = String(repeating: "0123456789abcdef", count: 4) + "\n"
        let large = String(repeating: line, count: 3 * 1024 * 1024 / line.utf8.count)
        try certificates.write(large, to: "large.txt")
        let tls = try TLSClientContext(extraCAFile: certificates.caFile)
        let files = try OpenSSLServer(certificates, certificate: certificates.server, arguments: ["-WWW"])
        let download = try await https(files.port, tls: tls).send(method: "GET", target: "/large.txt", headers: [], body: [])
        XCTAssertEqual(download.body.count, large.utf8.count)
        XCTAssertTrue(download.body.elementsEqual(large.utf8))

        let raw = try OpenSSLServer(certificates, certificate: certificates.server)
        let upload = Array(String(repeating: line, count: 1024 * 1024 / line.utf8.count - 1).utf8) + Array("the end".utf8)
        let client = https(raw.port, tls: tls)
        let sent = Task { try await client.send(method: "PUT", target: "/up", headers: [], body: upload) }
        defer { sent.cancel() }
        let arrived = await raw.waitForOutput(containing: "the end")
        XCTAssertTrue(arrived)
        XCTAssertTrue(raw.output.contains("PUT /up HTTP/1.1\r\n"))
        XCTAssertTrue(raw.output.contains("Content-Length: \(upload.count)\r\n"))
        XCTAssertGreaterThan(raw.output.utf8.count, upload.count)
    }

    func testUntrustedCAIsRefusedBeforeTheRequestLeaves() async throws {
        let certificates = try TestCertificates()
        let trustsTestCA = try TLSClientContext(extraCAFile: certificates.caFile)
        // The leaf alone: its issuer is unknown.
        let leafOnly = try OpenSSLServer(certificates, certificate: certificates.untrusted)
        let leafFailure = try await failure(of: https(leafOnly.port, tls: trustsTestCA))
        XCTAssertEqual(leafFailure?.kind, .tls(.certificateVerifyFailed(reason: "unable to get local issuer certificate")))
        // The whole chain: its root is in no trust store.
        let chain = try OpenSSLServer(certificates, certificate: certificates.untrusted, arguments: ["-cert_chain", certificates.untrustedCAFile])
        let chainFailure = try await failure(of: https(chain.port, tls: trustsTestCA))
        XCTAssertEqual(chainFailure?.kind, .tls(.certificateVerifyFailed(reason: "self-signed certificate in certificate chain")))
        XCTAssertTrue(
            chainFailure?.description.contains("certificate verify failed: self-signed certificate in certificate chain") == true,
            chainFailure?.description ?? "")
        XCTAssertTrue(chainFailure?.requestWasNotSent == true)
        // No context given: the system trust store, which has never heard of the test CA.
        let systemFailure = try await failure(of: https(chain.port, tls: nil))
        XCTAssertEqual(systemFailure?.kind, .tls(.certificateVerifyFailed(reason: "self-signed certificate in certificate chain")))
        for server in [leafOnly, chain] {
            XCTAssertTrue(server.output.contains("ACCEPT"))
            XCTAssertFalse(server.output.contains("GET /"), server.output)
        }
    }

    func testCertificateForAnotherHostIsRefused() async throws {
        let certificates = try TestCertificates()
        let server = try OpenSSLServer(certificates, certificate: certificates.wrongHost)
        let tls = try TLSClientContext(extraCAFile: certificates.caFile)
        let byName = try await failure(of: https(server.port, tls: tls))
        XCTAssertEqual(byName?.kind, .tls(.hostnameMismatch(host: "localhost")))
        XCTAssertTrue(byName?.description.contains("hostname mismatch") == true, byName?.description ?? "")
        let byAddress = try await failure(of: https(server.port, host: "127.0.0.1", tls: tls))
        XCTAssertEqual(byAddress?.kind, .tls(.hostnameMismatch(host: "127.0.0.1")))
        XCTAssertFalse(server.output.contains("GET /"), server.output)
    }

    func testOnlyInsecureSkipVerifyAcceptsABadCertificate() async throws {
        let certificates = try TestCertificates()
        try certificates.write("unverified\n", to: "x.txt")
        let tls = try TLSClientContext(insecureSkipVerify: true)
        XCTAssertFalse(tls.verifiesPeer)
        for certificate in [certificates.untrusted, certificates.wrongHost] {
            let server = try OpenSSLServer(certificates, certificate: certificate, arguments: ["-WWW"])
            let response = try await https(server.port, tls: tls).send(method: "GET", target: "/x.txt", headers: [], body: [])
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "unverified\n")
        }
    }

    func testServerBelowTLS12IsRefused() async throws {
        let certificates = try TestCertificates()
        let server = try OpenSSLServer(certificates, certificate: certificates.server, arguments: ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-WWW"])
        let refused = try await failure(of: https(server.port, tls: try TLSClientContext(extraCAFile: certificates.caFile)))
        guard case .tls(.handshakeFailed(let detail))? = refused?.kind else {
            return XCTFail("expected a handshake failure, got \(String(describing: refused))")
        }
        XCTAssertTrue(detail.contains("protocol") || detail.contains("version"), detail)
    }

    func testUnreadableCAFileIsAConfigurationError() {
        XCTAssertThrowsError(try TLSClientContext(extraCAFile: "/nonexistent/ca.pem")) {
            XCTAssertTrue("\($0)".hasPrefix("TLS configuration: cannot load CA file /nonexistent/ca.pem"), "\($0)")
        }
    }

    func testHTTPSEndpointThroughConnectProxy() async throws {
        let certificates = try TestCertificates()
        try certificates.write("tunnelled\n", to: "t.txt")
        let server = try OpenSSLServer(certificates, certificate: certificates.server, arguments: ["-WWW"])
        let proxy = try await ConnectProxy()
        let client = UpstreamHTTPClient(
            endpoint: UpstreamEndpoint(scheme: .https, host: "localhost", port: server.port),
            tls: try TLSClientContext(extraCAFile: certificates.caFile),
            proxy: UpstreamProxy(host: "127.0.0.1", port: proxy.port, username: "user", password: "p@ss"), timeoutSeconds: 10)
        let response = try await client.send(method: "GET", target: "/t.txt", headers: [], body: [])
        await proxy.close()
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "tunnelled\n")
        XCTAssertEqual(proxy.requests.count, 1)
        let head = proxy.requests.first ?? ""
        XCTAssertTrue(head.hasPrefix("CONNECT localhost:\(server.port) HTTP/1.1\r\n"), head)
        XCTAssertTrue(head.contains("\r\nProxy-Authorization: Basic dXNlcjpwQHNz"), head)  // user:p@ss
    }

    func testProxyRefusalAndWrongCertificateBehindAProxy() async throws {
        let certificates = try TestCertificates()
        let refusing = try await ConnectProxy(refusal: "407 Proxy Authentication Required")
        let endpoint = UpstreamEndpoint(scheme: .https, host: "localhost", port: 9)
        let tls = try TLSClientContext(extraCAFile: certificates.caFile)
        let refused = try await failure(of: UpstreamHTTPClient(endpoint: endpoint, tls: tls, proxy: UpstreamProxy(host: "127.0.0.1", port: refusing.port)))
        await refusing.close()
        XCTAssertEqual(refused?.kind, .proxy)
        XCTAssertTrue(refused?.description.contains("407 Proxy Authentication Required") == true, refused?.description ?? "")
        XCTAssertTrue(refused?.requestWasNotSent == true)

        // Verification happens inside the tunnel just as without one.
        let server = try OpenSSLServer(certificates, certificate: certificates.wrongHost)
        let relaying = try await ConnectProxy()
        let client = UpstreamHTTPClient(
            endpoint: UpstreamEndpoint(scheme: .https, host: "localhost", port: server.port), tls: tls,
            proxy: UpstreamProxy(host: "127.0.0.1", port: relaying.port))
        let mismatch = try await failure(of: client)
        await relaying.close()
        XCTAssertEqual(mismatch?.kind, .tls(.hostnameMismatch(host: "localhost")))
    }

    func testUnreachableUpstreamIsAConnectFailure() async throws {
        let proxy = try await ConnectProxy()
        let port = proxy.port
        await proxy.close()  // nothing listens there now
        let refused = try await failure(of: UpstreamHTTPClient(endpoint: UpstreamEndpoint(scheme: .https, host: "127.0.0.1", port: port)))
        XCTAssertEqual(refused?.kind, .connect)
        XCTAssertTrue(refused?.description.hasPrefix("cannot connect to 127.0.0.1:\(port)") == true, refused?.description ?? "")
    }

    private func https(_ port: Int, host: String = "localhost", tls: TLSClientContext?) -> UpstreamHTTPClient {
        UpstreamHTTPClient(endpoint: UpstreamEndpoint(scheme: .https, host: host, port: port), tls: tls, timeoutSeconds: 10)
    }

    /// The failure of a GET that is expected to fail; nil (and a test failure) if it did not.
    private func failure(of client: UpstreamHTTPClient) async throws -> UpstreamFailure? {
        do {
            let response = try await client.send(method: "GET", target: "/", headers: [], body: [])
            XCTFail("expected a failure, got status \(response.status)")
            return nil
        } catch {
            return error
        }
    }
}
