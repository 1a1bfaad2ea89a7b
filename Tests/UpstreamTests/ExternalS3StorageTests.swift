import AWSWire
import BedrockEngine
import Foundation
import XCTest

@testable import Upstream

/// What the external S3 client reads of an endpoint's XML answers, and that it reaches an
/// `https` endpoint through the TLS client (and refuses one it cannot verify).
final class ExternalS3StorageTests: XCTestCase {
    func testObjectOverHTTPS() async throws {
        signal(SIGPIPE, SIG_IGN)
        let certificates = try TestCertificates()
        try certificates.write("{\"recordId\":\"R1\"}\n", to: "batch/in/part-1.jsonl")
        // s_server -WWW serves /batch/in/part-1.jsonl from its directory: the path-style GET.
        let server = try OpenSSLServer(certificates, certificate: certificates.server, arguments: ["-WWW"])
        let endpoint = ExternalS3Endpoint(
            endpoint: UpstreamEndpoint(scheme: .https, host: "localhost", port: server.port), region: "us-east-1",
            credentials: SigV4Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"))
        let storage = ExternalS3Storage(endpoint: endpoint, tls: try TLSClientContext(extraCAFile: certificates.caFile), wallClock: { 1_700_000_000 })
        let body = try await storage.get(bucket: "batch", key: "in/part-1.jsonl")
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "{\"recordId\":\"R1\"}\n")

        // The system trust store alone does not know the test CA.
        let untrusting = ExternalS3Storage(endpoint: endpoint, wallClock: { 1_700_000_000 })
        do {
            _ = try await untrusting.get(bucket: "batch", key: "in/part-1.jsonl")
            XCTFail("an unverifiable endpoint answered")
        } catch {
            XCTAssertEqual(error.code, "RequestFailed")
            XCTAssertTrue(error.message.contains("certificate verify failed: unable to get local issuer certificate"), error.message)
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
