import AWSWire
import JSONCore
import RequestStages
import ServiceKit
import UnderstudyTesting
import XCTest

@testable import UnderstudyServer

/// The admin API refuses browsers from other origins and bodies that are not JSON in every
/// mode, and in strict mode wants a signature by a configured credential or the admin token.
final class AdminGateTests: XCTestCase {
    let credentials = SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret")
    let json = ("Content-Type", "application/json")

    func withStrictServer(token: String? = "local-admin-token", _ body: (TestServer) async throws -> Void) async throws {
        try await InMemoryServer.with({
            $0.authMode = .strict
            $0.credentials = [self.credentials]
            $0.adminToken = token
        }, body)
    }

    /// An admin call as a browser or a tool makes it: unsigned unless `signing` says.
    func admin(
        _ method: String, _ route: String, headers: [(String, String)] = [], body: [UInt8] = [], signing: TestRequest.Signing = .unsigned
    ) -> TestRequest {
        TestRequest(service: .admin, method: method, target: "/_understudy/\(route)", headers: headers.map { ($0.0, $0.1) }, body: body, signing: signing)
    }

    func testStrictModeWantsASignatureOrTheToken() async throws {
        try await withStrictServer { server in
            let unsigned = try await server.send(admin("POST", "reset", headers: [json]))
            XCTAssertEqual(unsigned.status, 403)
            XCTAssertEqual(unsigned.header("x-amzn-ErrorType"), "AccessDenied")
            XCTAssertTrue(try unsigned.json()["message"]?.stringValue?.contains("signed with configured credentials or the admin token") == true)
            XCTAssertEqual(try unsigned.json()["required"]?.arrayValue?.count, 2)
            for route in ["executions", "journal", "faults", "clock"] {
                let read = try await server.send(admin("GET", route))
                XCTAssertEqual(read.status, 403, route)
            }

            // Any service name in the scope will do.
            let signed = try await server.send(admin("POST", "reset", headers: [json], signing: .signed(by: credentials, scope: "understudy")))
            XCTAssertEqual(signed.status, 200, signed.text)
            let stranger = try await server.send(
                admin("POST", "reset", headers: [json], signing: .signed(by: SigV4Credentials(accessKeyId: "AKIDTEST", secretAccessKey: "nope"), scope: "s3")))
            XCTAssertEqual(stranger.status, 403)
            XCTAssertTrue(try stranger.json()["message"]?.stringValue?.contains("InvalidSignatureException") == true, stranger.text)

            let token = try await server.send(admin("POST", "reset", headers: [json, ("Authorization", "Bearer local-admin-token")]))
            XCTAssertEqual(token.status, 200)
            let wrongToken = try await server.send(admin("POST", "reset", headers: [json, ("Authorization", "Bearer local-admin-tokem")]))
            XCTAssertEqual(wrongToken.status, 403)

            let health = try await server.send(admin("GET", "health"))
            XCTAssertEqual(health.status, 200, "container health checks carry no credentials")
        }
    }

    func testWithoutATokenOnlyASignatureOpensStrictMode() async throws {
        try await withStrictServer(token: nil) { server in
            let bearer = try await server.send(admin("GET", "journal", headers: [("Authorization", "Bearer anything")]))
            XCTAssertEqual(bearer.status, 403)
            XCTAssertTrue(try bearer.json()["message"]?.stringValue?.contains("no admin token is configured") == true)
            let signed = try await server.send(admin("GET", "journal", signing: .signed(by: credentials, region: "eu-west-1", scope: "states")))
            XCTAssertEqual(signed.status, 200)
        }
    }

    func testBrowsersFromOtherOriginsAreRefusedInEveryMode() async throws {
        for mode in AuthMode.allCases {
            try await InMemoryServer.with({
                $0.authMode = mode
                $0.credentials = [self.credentials]
                $0.adminToken = "local-admin-token"
            }) { server in
                let token = ("Authorization", "Bearer local-admin-token")
                for refused in [
                    [("Origin", "http://evil.example"), ("Content-Type", "text/plain"), token],
                    [("Origin", "http://localhost:3000"), json, token],
                    [("Origin", "null"), json, token],
                    [("Sec-Fetch-Site", "cross-site"), json, token],
                    [("Sec-Fetch-Site", "same-site"), json, token],
                ] {
                    let response = try await server.send(admin("POST", "reset", headers: refused))
                    XCTAssertEqual(response.status, 403, "\(mode) \(refused)")
                    XCTAssertEqual(response.header("x-amzn-ErrorType"), "CrossOriginRequestRefused")
                }
                let sameOrigin = try await server.send(
                    admin("POST", "reset", headers: [("Origin", "http://localhost:4566"), ("Sec-Fetch-Site", "same-origin"), json, token]))
                XCTAssertEqual(sameOrigin.status, 200, "\(mode)")
            }
        }
    }

    func testStateChangesNeedAJSONContentType() async throws {
        try await InMemoryServer.with { server in
            let browser = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let response = try await server.send(admin("POST", "reset", headers: [("Content-Type", type), browser]))
                XCTAssertEqual(response.status, 415, type)
                // Even from the server's own origin: a page must say JSON.
                let sameOrigin = try await server.send(
                    admin("POST", "reset", headers: [("Content-Type", type), ("Origin", "http://localhost:4566"), ("Host", "localhost:4566")]))
                XCTAssertEqual(sameOrigin.status, 415, type)
                let fetchMode = try await server.send(admin("POST", "reset", headers: [("Content-Type", type), ("Sec-Fetch-Mode", "no-cors")]))
                XCTAssertNotEqual(fetchMode.status, 200, type)
            }
            // Local tools carry no browser marks: urllib's form type, a bare `curl -X POST`.
            let urllib = try await server.send(
                admin(
                    "POST", "reset", headers: [("Content-Type", "application/x-www-form-urlencoded"), ("User-Agent", "Python-urllib/3.11")],
                    body: Array("{}".utf8)))
            XCTAssertEqual(urllib.status, 200)
            let bare = try await server.send(admin("POST", "reset"))
            XCTAssertEqual(bare.status, 200)
            let deleted = try await server.send(admin("DELETE", "faults", headers: [("Content-Type", "text/plain"), browser]))
            XCTAssertEqual(deleted.status, 415)
            for type in ["application/json", "application/json; charset=utf-8", "application/merge-patch+json"] {
                let response = try await server.send(admin("POST", "reset", headers: [("Content-Type", type)]))
                XCTAssertEqual(response.status, 200, type)
            }
            let read = try await server.send(admin("GET", "journal"))
            XCTAssertEqual(read.status, 200, "reads need no content type")
        }
    }

    func testRebindingHostsAreRefusedForBrowsers() {
        var configuration = ServerConfiguration()
        configuration.host = "0.0.0.0"
        let gate = AdminGate(configuration: configuration, clock: ManualClock(millis: 0))
        for trusted in ["localhost", "app.localhost", "127.0.0.1", "192.168.1.5", "[::1]", "0.0.0.0"] {
            XCTAssertTrue(gate.isTrusted(hostName: Substring(trusted)), trusted)
        }
        for untrusted in ["evil.example", "127.0.0.1.nip.io", "localhost.evil.example", "999.1.1.1"] {
            XCTAssertFalse(gate.isTrusted(hostName: Substring(untrusted)), untrusted)
        }
        XCTAssertEqual(AdminGate.hostName("[::1]:4566"), "[::1]")
        XCTAssertEqual(AdminGate.hostName("localhost:4566"), "localhost")
    }
}
