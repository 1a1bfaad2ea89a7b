import AWSWire
import Foundation
import JSONCore
import Recording
import XCTest

/// Writing a cassette and reading it back gives the same interactions, bytes and files.
final class CassetteRoundTripTests: XCTestCase {
    func testInteractionsOfEveryBodyKindComeBackAsWritten() throws {
        let directory = try CassetteSamples.directory(for: self)
        let writer = try CassetteWriter(directory: directory, redactor: Redactor())
        let xml = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult><Name>b</Name></ListBucketResult>".utf8)
        let binary: [UInt8] = [0, 1, 2, 0xFF, 0xFE, 0x80]
        let spaced = Array("{\"a\": 1, \"b\": [1.0, 2e3]}".utf8)
        let s3List = RecordedInteraction(
            service: "s3", operation: "ListObjectsV2", resource: "b", recordedAt: "2026-01-02T03:04:05Z",
            request: RecordedRequest(method: "GET", path: "/b", query: "list-type=2&prefix=a%2Fb", headers: [], body: []),
            response: RecordedResponse(status: 200, headers: [RecordedHeader("Content-Type", "application/xml")], body: RecordedBody(capturing: xml)))
        let s3Put = RecordedInteraction(
            service: "s3", operation: "PutObject", resource: "b/k",
            request: RecordedRequest(method: "PUT", path: "/b/k", query: "", headers: [("Content-Type", "application/octet-stream")], body: binary),
            response: RecordedResponse(status: 200, body: RecordedBody(capturing: spaced)))
        let frames = try CassetteSamples.bedrockFrames().map(\.message)
        let written = [CassetteSamples.invokeModel(), s3List, s3Put, CassetteSamples.stream(frames: frames)]
        for interaction in written { try writer.append(interaction) }

        let cassette = try Cassette.load(from: directory)
        XCTAssertEqual(cassette.interactions, written)
        XCTAssertEqual(cassette.index.entries.map(\.file), [
            "0001-bedrock-runtime-InvokeModel.json", "0002-s3-ListObjectsV2.json", "0003-s3-PutObject.json",
            "0004-bedrock-runtime-InvokeModelWithResponseStream.json",
        ])
        // The kinds chosen, and the bytes they stand for.
        XCTAssertEqual(cassette.interactions[1].response.body, .text(String(decoding: xml, as: UTF8.self)))
        XCTAssertEqual(cassette.interactions[2].request.body, .binary(binary))
        XCTAssertEqual(cassette.interactions[2].response.body.bytes, spaced, "JSON with spaces is kept as text, byte for byte")
        guard case .text = cassette.interactions[2].response.body else { return XCTFail("spaced JSON must stay text") }
        guard case .json = cassette.interactions[0].response.body else { return XCTFail("compact JSON must be JSON") }
        XCTAssertEqual(cassette.interactions[0].response.body.bytes, written[0].response.body.bytes)
    }

    func testFilesArePrettyStableAndOrdered() throws {
        let directory = try CassetteSamples.directory(for: self)
        try CassetteWriter(directory: directory, redactor: Redactor()).append(CassetteSamples.invokeModel())
        let text = try String(contentsOfFile: directory + "/0001-bedrock-runtime-InvokeModel.json", encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("{\n  \"service\": \"bedrock-runtime\",\n  \"operation\": \"InvokeModel\",\n  \"resource\": "), text)
        XCTAssertTrue(text.hasSuffix("}\n"))
        XCTAssertTrue(text.contains("\n    \"bodyEncoding\": \"json\",\n    \"body\": {\n      \"anthropic_version\""), text)
        // Reading and writing again gives the very same bytes (nothing reordered or reformatted).
        let again = try RecordedInteraction(fileBytes: Array(text.utf8))
        XCTAssertEqual(String(decoding: again.fileBytes, as: UTF8.self), text)
        let index = try String(contentsOfFile: directory + "/index.json", encoding: .utf8)
        XCTAssertEqual(index, """
            {
              "format": 1,
              "interactions": [
                {
                  "file": "0001-bedrock-runtime-InvokeModel.json",
                  "service": "bedrock-runtime",
                  "operation": "InvokeModel",
                  "resource": "anthropic.claude-3-haiku-20240307-v1:0"
                }
              ]
            }

            """)
    }

    func testAWriterContinuesAnExistingCassette() throws {
        let directory = try CassetteSamples.directory(for: self)
        try CassetteWriter(directory: directory, redactor: Redactor()).append(CassetteSamples.invokeModel(prompt: "one"))
        let second = try CassetteWriter(directory: directory, redactor: Redactor())
        let appended = try second.append(CassetteSamples.invokeModel(prompt: "two"))
        XCTAssertEqual(appended.entry.file, "0002-bedrock-runtime-InvokeModel.json")
        XCTAssertEqual(try Cassette.load(from: directory).interactions.count, 2)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [], "temporary files are renamed into place")
    }

    func testConcurrentAppendsKeepEveryInteractionInTheIndex() throws {
        let directory = try CassetteSamples.directory(for: self)
        let writer = try CassetteWriter(directory: directory, redactor: Redactor())
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            do { try writer.append(CassetteSamples.invokeModel(prompt: "call \(i)")) } catch { XCTFail("\(error)") }
        }
        let cassette = try Cassette.load(from: directory)
        XCTAssertEqual(cassette.interactions.count, 40)
        XCTAssertEqual(Set(cassette.index.entries.map(\.file)).count, 40)
        let prompts = Set(cassette.interactions.map { $0.request.body.jsonValue!["messages"]![0]!["content"]!.stringValue! })
        XCTAssertEqual(prompts, Set((0..<40).map { "call \($0)" }))
    }

    func testBrokenFilesAreNamedWithTheirLine() throws {
        let directory = try CassetteSamples.directory(for: self)
        try CassetteWriter(directory: directory, redactor: Redactor()).append(CassetteSamples.invokeModel())
        let path = directory + "/0001-bedrock-runtime-InvokeModel.json"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[5], "    \"method\": \"POST\",")
        lines[5] = "    \"method\": POST,"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Cassette.load(from: directory)) { error in
            let failure = error as! CassetteFormatError
            XCTAssertTrue(failure.file?.hasSuffix("0001-bedrock-runtime-InvokeModel.json") ?? false, "\(failure)")
            XCTAssertEqual(failure.line, 6, "\(failure)")
        }
        try "{\"format\": 1, \"interactions\": [{\"file\": \"../etc/passwd\", \"service\": \"s\", \"operation\": \"o\"}]}"
            .write(toFile: directory + "/index.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Cassette.load(from: directory)) { error in
            XCTAssertTrue("\(error)".contains("must be a file name in the cassette's directory"), "\(error)")
        }
    }

    func testMissingMembersAreNamedByTheirPlace() throws {
        let bad: JSONValue = ["service": "s", "operation": "o", "request": ["method": "GET", "path": "/"], "response": ["status": 200, "frames": [["headers": []]]]]
        XCTAssertThrowsError(try RecordedInteraction(fileValue: bad)) { error in
            XCTAssertEqual((error as! CassetteFormatError).message, "response.frames[0].offsetMillis is missing")
        }
    }
}
