import XCTest

@testable import Upstream

/// `HTTPS_PROXY` and `NO_PROXY` read as curl and the AWS SDKs read them.
final class UpstreamProxyTests: XCTestCase {
    private let s3 = UpstreamEndpoint(scheme: .https, host: "s3.us-east-1.amazonaws.com")

    func testEnvironment() throws {
        XCTAssertNil(try UpstreamProxy.fromEnvironment([:]))
        XCTAssertNil(try UpstreamProxy.fromEnvironment(["HTTPS_PROXY": ""]))
        XCTAssertNil(try UpstreamProxy.fromEnvironment(["HTTP_PROXY": "http://proxy:3128"]), "http_proxy is for http")
        let upper = try XCTUnwrap(UpstreamProxy.fromEnvironment(["HTTPS_PROXY": "http://proxy.corp:3128"]))
        XCTAssertEqual(upper.host, "proxy.corp")
        XCTAssertEqual(upper.port, 3128)
        XCTAssertNil(upper.authorization)
        let lower = try XCTUnwrap(UpstreamProxy.fromEnvironment(["https_proxy": "proxy.lower:8080", "HTTPS_PROXY": "http://upper:1"]))
        XCTAssertEqual(lower.host, "proxy.lower", "the lower-case variable wins, as in curl")
        XCTAssertEqual(lower.port, 8080)
        XCTAssertEqual(try UpstreamProxy.fromEnvironment(["HTTPS_PROXY": "http://proxy"])?.port, 80)
        let authenticated = try XCTUnwrap(UpstreamProxy.fromEnvironment(["HTTPS_PROXY": "http://alice:s%3Acret%40x@proxy:3128/"]))
        XCTAssertEqual(authenticated.authorization, "Basic YWxpY2U6czpjcmV0QHg=")  // alice:s:cret@x
        for bad in ["https://proxy:3128", "socks5://proxy:1080", "http://proxy:99999", "http://proxy/path", "http://%zz@proxy"] {
            XCTAssertThrowsError(try UpstreamProxy.fromEnvironment(["HTTPS_PROXY": bad]), bad) {
                XCTAssertEqual(($0 as? UpstreamFailure)?.kind, .proxy)
                XCTAssertTrue("\($0)".hasPrefix("HTTPS_PROXY must be http://"), "\($0)")
            }
        }
    }

    func testWhichEndpointsGoThroughIt() throws {
        let proxy = try XCTUnwrap(UpstreamProxy.fromEnvironment([
            "HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": " .internal.example, exact.example ,*.wild.example,pinned.example:8443,10.0.0.7",
        ]))
        XCTAssertTrue(proxy.applies(to: s3))
        XCTAssertFalse(proxy.applies(to: UpstreamEndpoint(scheme: .http, host: "s3.us-east-1.amazonaws.com")), "plain http goes direct")
        for direct in ["a.internal.example", "internal.example", "exact.example", "EXACT.example", "x.wild.example", "10.0.0.7", "localhost", "127.0.0.1", "::1"] {
            XCTAssertFalse(proxy.applies(to: UpstreamEndpoint(scheme: .https, host: direct)), direct)
        }
        for proxied in ["notexact.example", "example", "10.0.0.70", "pinned.example"] {
            XCTAssertTrue(proxy.applies(to: UpstreamEndpoint(scheme: .https, host: proxied)), proxied)
        }
        XCTAssertFalse(proxy.applies(to: UpstreamEndpoint(scheme: .https, host: "pinned.example", port: 8443)))
        XCTAssertFalse(try XCTUnwrap(UpstreamProxy.fromEnvironment(["HTTPS_PROXY": "http://p:1", "no_proxy": "*"])).applies(to: s3))
        // Made by hand, a proxy excludes nothing, loopback included (the tests' own proxy).
        XCTAssertTrue(UpstreamProxy(host: "127.0.0.1", port: 3128).applies(to: UpstreamEndpoint(scheme: .https, host: "localhost")))
    }
}
