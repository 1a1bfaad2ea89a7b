import Foundation
import JSONCore
import Recording
import VectorSupport
import XCTest

/// What `recordings verify` flags, and what it must not.
final class SecretScannerTests: XCTestCase {
    func kinds(_ text: String, secrets: [String] = []) -> [String] { SecretScanner(secrets: secrets).scan(text).map(\.kind) }

    func testCredentialsAreFoundWithTheirLine() {
        let text = """
            {
              "a": "key AKIAIOSFODNN7EXAMPLE here",
              "b": "ASIAY34FZKBOKMUTVV7A",
              "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
              "url": "https://b.s3.amazonaws.com/k?X-Amz-Signature=abc&X-Amz-Credential=x",
              "t": "IQoJb3JpZ2luX2VjEJr\(String(repeating: "A", count: 120))",
              "Authorization": "Bearer x",
              "canary": "my-canary-value",
              "bedrock": "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl"
            }
            """
        let findings = SecretScanner(secrets: ["my-canary-value"]).scan(text)
        XCTAssertEqual(findings.map(\.line), [2, 3, 4, 5, 5, 6, 7, 8, 9])
        XCTAssertEqual(findings.map(\.kind), [
            "AWS access key id", "AWS access key id", "secret access key", "request signature", "signing credential", "session token",
            "credential header", "configured secret", "Bedrock API key",
        ])
        XCTAssertEqual(findings[0].excerpt, "AKIA…", "the report does not repeat the secret")
        XCTAssertEqual(findings[0].column, 13)
    }

    func testNamesAreFoundHoweverTheyAreJoined() {
        XCTAssertEqual(kinds("SecretAccessKey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), ["secret access key"])
        XCTAssertEqual(kinds("\"sessionToken\": \"\(String(repeating: "Ab0+", count: 30))\""), ["session token"])
        XCTAssertEqual(kinds("x-amz-security-token: abc"), ["session token parameter"])
    }

    func testOrdinaryTrafficIsNotFlagged() throws {
        // Access-key-like text inside longer words or base64, short base64 near a key word,
        // the word "authorization" in prose, and a real stream cassette full of base64.
        XCTAssertEqual(kinds("xAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLEx AKIAiosfodnn7example"), [])
        XCTAssertEqual(kinds("\"secretKey\": \"short\""), [])
        XCTAssertEqual(kinds("\"text\": \"authorization is required\""), [])
        let stream = CassetteSamples.stream(frames: try CassetteSamples.bedrockFrames().map(\.message))
        XCTAssertEqual(SecretScanner().scan(String(decoding: stream.fileBytes, as: UTF8.self)), [])
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let blob = Base64Text.random(count: 3000, using: &random)
            XCTAssertEqual(kinds("{\"payload\": \"\(blob)\"}"), [], blob)
        }
    }

    func testVerifyReportsFilesLinesParsingAndOrphans() throws {
        let directory = try CassetteSamples.directory(for: self)
        let writer = try CassetteWriter(directory: directory, redactor: Redactor())
        try writer.append(CassetteSamples.invokeModel())
        try writer.append(CassetteSamples.describeExecution(arn: "arn:x", status: "RUNNING"))
        XCTAssertEqual(CassetteVerifier().verify(directory: directory).problems, [])

        // Plant a key in the second file, break the first, leave a stray JSON file.
        let second = directory + "/0002-states-DescribeExecution.json"
        var text = try String(contentsOfFile: second, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"RUNNING\"", with: "\"AKIAIOSFODNN7EXAMPLE\"")
        try text.write(toFile: second, atomically: true, encoding: .utf8)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("AKIA") }! + 1
        try "{\"service\": ".write(toFile: directory + "/0001-bedrock-runtime-InvokeModel.json", atomically: true, encoding: .utf8)
        try "{}".write(toFile: directory + "/stray.json", atomically: true, encoding: .utf8)
        try "notes: ASIAY34FZKBOKMUTVV7A\n".write(toFile: directory + "/README.md", atomically: true, encoding: .utf8)

        let result = CassetteVerifier().verify(directory: directory)
        XCTAssertFalse(result.passed)
        XCTAssertEqual(result.problems.map(\.file), ["0001-bedrock-runtime-InvokeModel.json", "0002-states-DescribeExecution.json", "README.md"])
        XCTAssertEqual(result.problems[0].line, 1)
        XCTAssertEqual(result.problems[1].line, line)
        XCTAssertTrue(result.problems[1].description.hasPrefix("0002-states-DescribeExecution.json:\(line): AWS access key id"), result.problems[1].description)
        XCTAssertEqual(result.warnings.map(\.file), ["stray.json"])
        XCTAssertEqual(result.interactions, 1)
        XCTAssertEqual(result.filesScanned, 5)
    }
}

/// Random base64 text, for false-positive checks.
enum Base64Text {
    static func random(count: Int, using generator: inout some RandomNumberGenerator) -> String {
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Base64.encode(bytes)
    }
}
