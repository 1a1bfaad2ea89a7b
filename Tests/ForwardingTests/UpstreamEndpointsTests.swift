import AWSWire
import Forwarding
import XCTest

final class UpstreamEndpointsTests: XCTestCase {
    /// The hosts botocore 1.44.5 resolves for these calls with no endpoint_url (sync- from the
    /// stepfunctions model's `endpoint.hostPrefix`, which only StartSyncExecution and TestState
    /// carry).
    func testAWSHostsPerOperation() throws {
        let endpoints = UpstreamEndpoints()
        let cases: [(AWSService, String, String, String)] = [
            (.bedrockRuntime, "InvokeModel", "us-east-1", "bedrock-runtime.us-east-1.amazonaws.com"),
            (.bedrockRuntime, "ConverseStream", "eu-west-3", "bedrock-runtime.eu-west-3.amazonaws.com"),
            (.bedrock, "ListFoundationModels", "us-west-2", "bedrock.us-west-2.amazonaws.com"),
            (.bedrock, "CreateModelInvocationJob", "ap-northeast-1", "bedrock.ap-northeast-1.amazonaws.com"),
            (.states, "StartSyncExecution", "us-east-1", "sync-states.us-east-1.amazonaws.com"),
            (.states, "TestState", "us-east-2", "sync-states.us-east-2.amazonaws.com"),
            (.states, "StartExecution", "us-east-1", "states.us-east-1.amazonaws.com"),
            (.states, "DescribeExecution", "eu-central-1", "states.eu-central-1.amazonaws.com"),
            (.s3, "PutObject", "us-east-1", "s3.us-east-1.amazonaws.com"),
            (.s3, "GetObject", "cn-north-1", "s3.cn-north-1.amazonaws.com.cn"),
            (.states, "StartExecution", "us-gov-west-1", "states.us-gov-west-1.amazonaws.com"),
            (.bedrockRuntime, "InvokeModel", "us-iso-east-1", "bedrock-runtime.us-iso-east-1.c2s.ic.gov"),
            (.bedrockRuntime, "InvokeModel", "us-isob-east-1", "bedrock-runtime.us-isob-east-1.sc2s.sgov.gov"),
        ]
        for (service, operation, region, host) in cases {
            let endpoint = try endpoints.endpoint(service: service, operation: operation, region: region)
            XCTAssertEqual(endpoint, UpstreamEndpoint(scheme: .https, host: host), "\(service) \(operation) \(region)")
            XCTAssertEqual(endpoint.hostHeader, host)
            XCTAssertEqual(endpoint.effectivePort, 443)
        }
    }

    func testOverridesPerServiceThenForAll() throws {
        let all = try UpstreamEndpoint(url: "http://127.0.0.1:4567")
        let s3 = try UpstreamEndpoint(url: "https://minio.internal:9000/")
        let endpoints = UpstreamEndpoints(all: all, perService: [.s3: s3])
        XCTAssertEqual(try endpoints.endpoint(service: .s3, operation: "PutObject", region: "us-east-1"), s3)
        XCTAssertEqual(try endpoints.endpoint(service: .bedrockRuntime, operation: "InvokeModel", region: "us-east-1"), all)
        let sync = try endpoints.endpoint(service: .states, operation: "StartSyncExecution", region: "us-east-1")
        XCTAssertEqual(sync.hostHeader, "127.0.0.1:4567", "no sync- prefix on a configured URL")
        XCTAssertThrowsError(try endpoints.endpoint(service: .admin, operation: "x", region: "us-east-1")) {
            XCTAssertEqual($0 as? ForwardingError, .notForwardable(.admin))
        }
    }

    func testRegionsThatCannotBeHostNames() {
        for region in ["", "us-east-1.evil.com", "us-east-1/", "-us", "us-", "us east", "us-east-1#", String(repeating: "a", count: 64), "üs-east-1"] {
            XCTAssertFalse(UpstreamEndpoints.isValidRegion(region), region)
            XCTAssertThrowsError(try UpstreamEndpoints().endpoint(service: .s3, operation: "GetObject", region: region)) {
                XCTAssertEqual($0 as? ForwardingError, .invalidRegion(region))
            }
        }
        for region in ["us-east-1", "eusc-de-east-1", "local", "A1"] { XCTAssertTrue(UpstreamEndpoints.isValidRegion(region), region) }
    }

    func testURLParsing() throws {
        let cases: [(String, UpstreamEndpoint.Scheme, String, Int?, String, String)] = [
            ("https://bedrock-runtime.us-east-1.amazonaws.com", .https, "bedrock-runtime.us-east-1.amazonaws.com", nil, "", "bedrock-runtime.us-east-1.amazonaws.com"),
            ("http://localhost:4567/", .http, "localhost", 4567, "", "localhost:4567"),
            ("HTTPS://Gateway.Example.com:443/aws/v1//", .https, "gateway.example.com", nil, "/aws/v1", "gateway.example.com"),
            ("http://[::1]:8080", .http, "::1", 8080, "", "[::1]:8080"),
            ("http://example.com:80", .http, "example.com", nil, "", "example.com"),
        ]
        for (url, scheme, host, port, basePath, hostHeader) in cases {
            let endpoint = try UpstreamEndpoint(url: url)
            XCTAssertEqual(endpoint.scheme, scheme, url)
            XCTAssertEqual(endpoint.host, host, url)
            XCTAssertEqual(endpoint.port, port, url)
            XCTAssertEqual(endpoint.basePath, basePath, url)
            XCTAssertEqual(endpoint.hostHeader, hostHeader, url)
        }
        let bad = [
            "localhost:4566", "ftp://x", "https://", "https://user:pw@host", "https://host?x=1", "https://host/p#f", "https://host:0",
            "https://host:99999", "https://host:abc", "http://[::1", "http://[::1]x",
        ]
        for url in bad {
            XCTAssertThrowsError(try UpstreamEndpoint(url: url), url) { error in
                guard case .invalidUpstreamURL(let shown, _)? = error as? ForwardingError else { return XCTFail("\(error)") }
                XCTAssertEqual(shown, url)
            }
        }
    }
}
