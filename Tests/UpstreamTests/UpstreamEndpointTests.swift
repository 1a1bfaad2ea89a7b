import XCTest

@testable import Upstream

/// Upstream URLs as configuration gives them, and the `Host` and CONNECT forms made of them.
final class UpstreamEndpointTests: XCTestCase {
    func testURLs() throws {
        let local = try XCTUnwrap(UpstreamEndpoint(url: "http://127.0.0.1:9000"))
        XCTAssertEqual(local, UpstreamEndpoint(scheme: .http, host: "127.0.0.1", port: 9000))
        XCTAssertEqual(local.hostHeader, "127.0.0.1:9000")
        let minio = try XCTUnwrap(UpstreamEndpoint(url: "http://minio/"))
        XCTAssertEqual(minio.port, 80)
        XCTAssertEqual(minio.hostHeader, "minio")
        let s3 = try XCTUnwrap(UpstreamEndpoint(url: "https://s3.eu-west-1.amazonaws.com"))
        XCTAssertEqual(s3.scheme, .https)
        XCTAssertEqual(s3.port, 443)
        XCTAssertEqual(s3.hostHeader, "s3.eu-west-1.amazonaws.com")
        XCTAssertEqual(s3.authority, "s3.eu-west-1.amazonaws.com:443")
        XCTAssertEqual(s3.description, "https://s3.eu-west-1.amazonaws.com")
        let nonDefault = try XCTUnwrap(UpstreamEndpoint(url: "https://localhost:8443/"))
        XCTAssertEqual(nonDefault.hostHeader, "localhost:8443")
        let v6 = try XCTUnwrap(UpstreamEndpoint(url: "https://[::1]:8443"))
        XCTAssertEqual(v6.host, "::1")
        XCTAssertEqual(v6.hostHeader, "[::1]:8443")
        XCTAssertEqual(UpstreamEndpoint(url: "https://[::1]")?.hostHeader, "[::1]")
        for bad in [
            "http://", "https://", "http://host:0", "http://host:99999", "http://host/path", "https://u@host", "ftp://x", "http://:80",
            "s3.amazonaws.com", "http://a:b:c", "https://[::1", "https://[::1]x", "http://host?x=1",
        ] {
            XCTAssertNil(UpstreamEndpoint(url: bad), bad)
        }
    }
}
