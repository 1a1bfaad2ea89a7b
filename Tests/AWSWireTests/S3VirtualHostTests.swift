import AWSWire
import XCTest

/// Which `Host` names a bucket, and the path-style path a virtual-hosted call comes to.
final class S3VirtualHostTests: XCTestCase {
    func testHostsThatNameABucket() {
        XCTAssertEqual(S3VirtualHost.bucket(inHost: "photos.localhost:4566"), "photos")
        XCTAssertEqual(S3VirtualHost.bucket(inHost: "Photos.LOCALHOST"), "photos")
        XCTAssertEqual(S3VirtualHost.bucket(inHost: "my.dotted.bucket.s3.us-east-1.amazonaws.com"), "my.dotted.bucket")
        XCTAssertEqual(S3VirtualHost.bucket(inHost: "logs.s3-eu-west-1.amazonaws.com"), "logs")
        XCTAssertEqual(S3VirtualHost.bucket(inHost: "data.s3.localhost.localstack.cloud:4566"), "data")
    }

    func testHostsThatNameNone() {
        for host in ["localhost:4566", "127.0.0.1:4566", "[::1]:4566", "s3.localhost", "s3.us-east-1.amazonaws.com", ".localhost", ""] {
            XCTAssertNil(S3VirtualHost.bucket(inHost: host), host)
        }
    }

    func testPathStyle() {
        XCTAssertEqual(S3VirtualHost.pathStyle(path: "/k/v.txt", host: "b.localhost:4566"), "/b/k/v.txt")
        XCTAssertEqual(S3VirtualHost.pathStyle(path: "/", host: "b.localhost:4566"), "/b")
        XCTAssertEqual(S3VirtualHost.pathStyle(path: "", host: "b.localhost"), "/b")
        XCTAssertEqual(S3VirtualHost.pathStyle(path: "/b/k", host: "localhost:4566"), "/b/k")
        XCTAssertEqual(S3VirtualHost.pathStyle(path: "/b/k", host: nil), "/b/k")
    }
}
