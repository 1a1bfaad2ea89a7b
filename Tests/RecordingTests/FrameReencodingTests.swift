import AWSWire
import JSONCore
import Recording
import VectorSupport
import XCTest

/// A recorded frame, written to a cassette and read back, encodes to the bytes that arrived.
final class FrameReencodingTests: XCTestCase {
    /// Captures, writes as the file would, reads back, encodes.
    func reencode(_ message: EventStreamMessage) throws -> (frame: RecordedFrame, bytes: [UInt8]) {
        let interaction = CassetteSamples.stream(frames: [message])
        let read = try RecordedInteraction(fileBytes: interaction.fileBytes)
        let frame = read.response.frames![0]
        return (frame, try frame.encoded())
    }

    func testEveryPositiveEventStreamVectorReencodesByteForByte() throws {
        let cases = try Fixtures.json("vectors/eventstream.json")["cases"]!.arrayValue!
        var checked = 0
        for c in cases where c["kind"]?.stringValue == "positive" {
            let bytes = c["hex"]!.stringValue!.hexBytes
            var reencoded: [UInt8] = []
            for message in try EventStreamDecoder.decodeAll(bytes) { reencoded += try reencode(message).bytes }
            XCTAssertEqual(reencoded, bytes, c["id"]!.stringValue!)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 5)
    }

    func testEveryBedrockFrameReencodesByteForByteWithItsChunkShownDecoded() throws {
        let cases = try Fixtures.json("vectors/bedrock_eventstream.json")["cases"]!.arrayValue!
        var chunks = 0
        for c in cases {
            for frame in c["frames"]!.arrayValue! {
                let bytes = frame["hex"]!.stringValue!.hexBytes
                guard let message = try EventStreamDecoder.decodeAll(bytes).first else { continue }
                let (recorded, reencoded) = try reencode(message)
                XCTAssertEqual(reencoded, bytes, "\(c["id"]!.stringValue!) \(frame["label"]?.stringValue ?? "")")
                if recorded.eventType == "chunk", recorded.decodedBytes != nil {
                    chunks += 1
                    XCTAssertEqual(recorded.decodedBytes, .json)
                    XCTAssertNotNil(recorded.chunkEvent?["type"]?.stringValue, "the model's event is readable")
                }
            }
        }
        XCTAssertGreaterThan(chunks, 10)
        // What a person reads in the file: the model's text, not base64.
        let file = String(decoding: CassetteSamples.stream(frames: try CassetteSamples.bedrockFrames().map(\.message)).fileBytes, as: UTF8.self)
        XCTAssertTrue(file.contains("\"text\": \"Hello\""), file)
        XCTAssertTrue(file.contains("\"bytesEncoding\": \"json\""))
    }

    func testChunkBytesThatWouldNotComeBackExactlyStayExact() throws {
        // Inner JSON with spaces: shown as text; unpadded base64: left as base64; not UTF-8: left.
        let spaced = Base64.encode(Array("{\"type\": \"x\"}".utf8))
        let unpadded = String(Base64.encode(Array("{\"a\":1}".utf8)).filter { $0 != "=" })
        let binary = Base64.encode([0xFF, 0x00, 0xFE])
        for (inner, expected) in [(spaced, RecordedFrame.DecodedBytes.text), (unpadded, nil), (binary, nil)] {
            let payload = Array("{\"bytes\":\"\(inner)\",\"p\":\"abc\"}".utf8)
            let message = EventStreamMessage.event("chunk", payload: payload)
            let original = try EventStreamEncoder.encode(message)
            let (frame, bytes) = try reencode(message)
            XCTAssertEqual(frame.decodedBytes, expected, inner)
            XCTAssertEqual(bytes, original, inner)
        }
    }

    func testEveryHeaderTypeSurvivesTheFile() throws {
        let message = EventStreamMessage(
            headers: [
                EventStreamHeader("t", .bool(true)), EventStreamHeader("f", .bool(false)), EventStreamHeader("b", .byte(-3)),
                EventStreamHeader("s", .short(-300)), EventStreamHeader("i", .integer(70000)), EventStreamHeader("l", .long(Int64.min)),
                EventStreamHeader("a", .byteArray([1, 2, 3])), EventStreamHeader("str", .string("x")),
                EventStreamHeader("ts", .timestamp(1_700_000_000_123)), EventStreamHeader("u", .uuid(Array(0..<16))),
            ], payload: [0x00, 0x01])
        let (frame, bytes) = try reencode(message)
        XCTAssertEqual(frame.message, message)
        XCTAssertEqual(bytes, try EventStreamEncoder.encode(message))
        XCTAssertEqual(frame.payload, .binary([0x00, 0x01]))
    }

    func testAnEditedFrameIsEncodedWithFreshChecksums() throws {
        let (bytes, message) = try CassetteSamples.bedrockFrames()[2]
        var frame = RecordedFrame(message: message, offsetMillis: 0)
        guard case .json(.object(var outer)) = frame.payload, case .object(var inner)? = outer["bytes"] else { return XCTFail() }
        inner["delta"] = ["type": "text_delta", "text": "Howdy"]
        outer["bytes"] = .object(inner)
        frame.payload = .json(.object(outer))
        let edited = try frame.encoded()
        XCTAssertNotEqual(edited, bytes)
        let decoded = try EventStreamDecoder.decodeAll(edited)
        XCTAssertEqual(decoded.count, 1, "the CRCs check")
        let event = try JSONParser.parse(Base64.decode(try JSONParser.parse(decoded[0].payload)["bytes"]!.stringValue!)!)
        XCTAssertEqual(event["delta"]?["text"], "Howdy")
    }
}
