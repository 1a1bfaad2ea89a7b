import AWSWire
import JSONCore
import VectorSupport
import XCTest

/// Smithy's awsJson1_0 and restJson1 error response cases, rendered by AWSWire's framing:
/// same status, same error-type header, same body members.
final class SmithyErrorFramingTests: XCTestCase {
    func errorCases(_ file: String) throws -> [JSONValue] {
        try Fixtures.json("vectors/smithy/\(file)")["cases"]!.arrayValue!.filter {
            $0["trait"] == "httpResponseTests" && $0["error_trait"] != nil && $0["error_trait"] != .null
        }
    }

    func testAwsJson10Errors() throws {
        let cases = try errorCases("awsJson1_0.json")
        XCTAssertGreaterThanOrEqual(cases.count, 3)
        for c in cases {
            let t = c["case"]!
            let expected = try JSONParser.parse(t["body"]!.stringValue!)
            let type = expected["__type"]!.stringValue!
            let hash = type.firstIndex(of: "#")!
            let error = AWSServiceError(
                code: String(type[type.index(after: hash)...]), message: nil, status: t["code"]!.intValue!,
                namespace: String(type[..<hash]), extraMembers: t["params"]?.objectValue ?? JSONObject())
            let response = AWSJSON10.error(error, requestId: "id")
            XCTAssertEqual(response.status, t["code"]!.intValue!, c["id"]!.stringValue!)
            XCTAssertEqual(response.header("Content-Type"), t["headers"]!["Content-Type"]!.stringValue!)
            XCTAssertEqual(try JSONParser.parse(response.body), expected, c["id"]!.stringValue!)
        }
    }

    func testRestJson1Errors() throws {
        var checked = 0
        for c in try errorCases("restJson1.json") {
            let t = c["case"]!
            let headers = t["headers"]?.objectValue ?? JSONObject()
            // Cases that bind members to extra headers need a modelled shape; skip them.
            guard headers.keys.allSatisfy({ ["Content-Type", "X-Amzn-Errortype"].contains($0) }),
                let errorType = headers["X-Amzn-Errortype"]?.stringValue
            else { continue }
            let expected = try JSONParser.parse(t["body"]!.stringValue!)
            let error = AWSServiceError(code: errorType, message: nil, status: t["code"]!.intValue!, extraMembers: expected.objectValue ?? JSONObject())
            let response = RestJSON1.error(error, requestId: "id")
            XCTAssertEqual(response.status, t["code"]!.intValue!)
            XCTAssertEqual(response.header("X-Amzn-Errortype"), errorType)
            XCTAssertEqual(try JSONParser.parse(response.body), expected)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 2)
    }
}
