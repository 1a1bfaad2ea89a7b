import AWSWire
import XCTest

@testable import Upstream

/// What the external S3 client reads of an endpoint: its URL and its XML answers.
final class ExternalS3StorageTests: XCTestCase {
    func testEndpointURLs() {
        XCTAssertEqual(ExternalS3Endpoint.parse(url: "http://127.0.0.1:9000")?.port, 9000)
        XCTAssertEqual(ExternalS3Endpoint.parse(url: "http://minio/")?.host, "minio")
        XCTAssertEqual(ExternalS3Endpoint.parse(url: "http://minio/")?.port, 80)
        for bad in ["https://s3.amazonaws.com", "http://", "http://host:0", "http://host:99999", "http://host/path", "http://u@host", "ftp://x", "http://:80"] {
            XCTAssertNil(ExternalS3Endpoint.parse(url: bad), bad)
        }
    }

    func testListingPageAndErrors() throws {
        let page = try XCTUnwrap(S3ListingXML(Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><IsTruncated>true</IsTruncated>
            <Contents><Key>in/a &amp; b.jsonl</Key><Size>3</Size></Contents>
            <Contents><Key>in/&lt;&#233;&#x4E2D;&gt;&quot;&apos;</Key></Contents>
            <NextContinuationToken>t&amp;1</NextContinuationToken></ListBucketResult>
            """.utf8)))
        XCTAssertEqual(page.keys, ["in/a & b.jsonl", "in/<é中>\"'"])
        XCTAssertTrue(page.isTruncated)
        XCTAssertEqual(page.nextContinuationToken, "t&1")
        XCTAssertFalse(try XCTUnwrap(S3ListingXML(Array("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))).isTruncated)
        XCTAssertNil(S3ListingXML(Array("not xml".utf8)))

        let error = S3ListingXML.error(Array("<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>".utf8))
        XCTAssertEqual(error?.code, "NoSuchBucket")
        XCTAssertEqual(error?.message, "The specified bucket does not exist")
        XCTAssertNil(S3ListingXML.error([]))
    }
}
