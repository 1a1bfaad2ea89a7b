import AWSWire
import Foundation
import JSONCore
import VectorSupport
import XCTest

/// `eventstream.json` (botocore, aws-sdk-go/aws-c-event-stream) and the Smithy restJson1
/// event-stream frames.
final class EventStreamVectorTests: XCTestCase {
    func headerValue(_ header: JSONValue) -> EventStreamHeaderValue? {
        let value = header["value"]!
        switch header["type"]?.stringValue {
        case "bool_true": return .bool(true)
        case "bool_false": return .bool(false)
        case "byte": return .byte(Int8(value.intValue!))
        case "short": return .short(Int16(value.intValue!))
        case "integer": return .integer(Int32(value.intValue!))
        case "long": return .long(Int64(value.intValue!))
        case "timestamp": return .timestamp(Int64(value.intValue!))
        case "string": return .string(value.stringValue!)
        case "byte_array": return .byteArray(value["hex"]!.stringValue!.hexBytes)
        case "uuid": return .uuid(value["hex"]!.stringValue!.hexBytes)
        default: return nil
        }
    }

    func expectedMessage(_ expected: JSONValue) -> EventStreamMessage {
        let headers = expected["headers"]!.arrayValue!.map { EventStreamHeader($0["name"]!.stringValue!, headerValue($0)!) }
        return EventStreamMessage(headers: headers, payload: expected["payload_hex"]!.stringValue!.hexBytes)
    }

    func testEventStreamVectors() throws {
        let cases = try Fixtures.json("vectors/eventstream.json")["cases"]!.arrayValue!
        var positive = 0, negative = 0
        for c in cases {
            let id = c["id"]!.stringValue!
            if c["kind"]?.stringValue == "positive" {
                positive += 1
                let bytes = c["hex"]!.stringValue!.hexBytes
                var decoder = EventStreamDecoder()
                var messages: [EventStreamMessage] = []
                if let chunks = c["chunks_hex"]?.arrayValue {
                    for chunk in chunks {
                        decoder.feed(chunk.stringValue!.hexBytes)
                        while let m = try decoder.next() { messages.append(m) }
                    }
                } else {
                    let size = c["feed_chunk_size"]?.intValue ?? bytes.count
                    var offset = 0
                    while offset < bytes.count {
                        decoder.feed(bytes[offset..<min(offset + size, bytes.count)])
                        offset += size
                        while let m = try decoder.next() { messages.append(m) }
                    }
                }
                XCTAssertEqual(decoder.bufferedCount, 0, id)
                let expected = (c["expected_messages"]?.arrayValue ?? [c["expected"]!]).map(expectedMessage)
                XCTAssertEqual(messages, expected, id)
                // Re-encoding gives the same bytes (header order is preserved).
                var reencoded: [UInt8] = []
                for m in messages { try EventStreamEncoder.encode(m, into: &reencoded) }
                XCTAssertEqual(reencoded, bytes, "\(id) re-encode")
            } else {
                negative += 1
                let bytes: [UInt8]
                if c["encoding"] != nil {
                    bytes = c["prefix_hex"]!.stringValue!.hexBytes
                        + [UInt8](repeating: c["repeat_byte_hex"]!.stringValue!.hexBytes[0], count: c["repeat_count"]!.intValue!)
                        + c["suffix_hex"]!.stringValue!.hexBytes
                } else {
                    bytes = c["hex"]!.stringValue!.hexBytes
                }
                XCTAssertThrowsError(try EventStreamDecoder.decodeAll(bytes), id) { error in
                    let e = error as! EventStreamError
                    let expected = c["expected_error"]!.stringValue!
                    switch e {
                    case .preludeChecksumMismatch, .messageChecksumMismatch:
                        XCTAssertTrue(expected.contains("hecksum"), "\(id): \(e)")
                    case .duplicateHeader: XCTAssertEqual(expected, "DuplicateHeader", id)
                    case .invalidHeadersLength: XCTAssertTrue(expected.contains("HeadersLength") || expected.contains("HEADERS_LEN"), "\(id): \(e)")
                    case .invalidPayloadLength: XCTAssertEqual(expected, "InvalidPayloadLength", id)
                    case .messageTooShort: XCTAssertTrue(expected.contains("total_length 12 < 16"), "\(id): \(e)")
                    default: XCTFail("\(id): unexpected \(e)")
                    }
                }
            }
        }
        XCTAssertEqual(positive + negative, 37)
        print("eventstream.json: \(positive) positive, \(negative) negative cases checked")
    }

    func smithyHeaderValue(_ typed: JSONValue) -> EventStreamHeaderValue? {
        guard case .object(let o) = typed, let (type, value) = o.members.first else { return nil }
        switch type {
        case "boolean": return .bool(value.boolValue!)
        case "byte": return .byte(Int8(value.intValue!))
        case "short": return .short(Int16(value.intValue!))
        case "integer": return .integer(Int32(value.intValue!))
        case "long": return .long(Int64(value.intValue!))
        case "string": return .string(value.stringValue!)
        case "blob": return .byteArray(Base64.decode(value.stringValue!)!)
        case "timestamp":
            let text = value.stringValue!
            return .timestamp(AWSTimestamp.epochMillis(iso8601: text)!)
        default: return nil
        }
    }

    func testSmithyEventStreamFrames() throws {
        let cases = try Fixtures.json("vectors/smithy/restJson1_eventstream.json")["cases"]!.arrayValue!
        var frames = 0
        for c in cases {
            for event in c["case"]!["events"]?.arrayValue ?? [] {
                guard let b64 = event["bytes"]?.stringValue else { continue }
                frames += 1
                let bytes = Base64.decode(b64)!
                let id = c["id"]!.stringValue!
                let messages = try EventStreamDecoder.decodeAll(bytes)
                XCTAssertEqual(messages.count, 1, id)
                let message = messages[0]
                let expectedHeaders = event["headers"]!.objectValue!
                XCTAssertEqual(message.headers.count, expectedHeaders.count, id)
                for (name, typed) in expectedHeaders {
                    XCTAssertEqual(message[header: name], smithyHeaderValue(typed), "\(id) header \(name)")
                }
                if let body = event["body"]?.stringValue {
                    if event["bodyMediaType"]?.stringValue == "application/json" {
                        XCTAssertEqual(try JSONParser.parse(message.payload), try JSONParser.parse(body), id)
                    } else {
                        XCTAssertEqual(message.payload, Array(body.utf8), id)
                    }
                }
                XCTAssertEqual(try EventStreamEncoder.encode(message), bytes, "\(id) re-encode")
            }
        }
        XCTAssertEqual(frames, 92)
    }

    func testEncoderRejectsDuplicateHeadersAndLimits() {
        let dup = EventStreamMessage(headers: [EventStreamHeader("a", .bool(true)), EventStreamHeader("a", .bool(false))])
        XCTAssertThrowsError(try EventStreamEncoder.encode(dup))
        let big = EventStreamMessage(headers: [], payload: [UInt8](repeating: 0, count: EventStreamLimits.maximumPayloadLength + 1))
        XCTAssertThrowsError(try EventStreamEncoder.encode(big))
    }

    /// A header name is UTF-8 like a string value; decoding it leniently turned `ln\u{97}\u{98}`
    /// into `ln\u{FFFD}\u{FFFD}`, a frame that was never sent. Found by `scripts/fuzz eventstream`.
    func testHeaderNameThatIsNotUTF8IsRefused() throws {
        var frame = try EventStreamEncoder.encode(EventStreamMessage(headers: [EventStreamHeader("lnab", .bool(true))]))
        // Prelude (12 bytes), the name's length, then its four bytes: make the last two invalid.
        frame[15] = 0x97
        frame[16] = 0x98
        let crc = Digest.crc32(frame[..<(frame.count - 4)])
        for k in 0..<4 { frame[frame.count - 4 + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * k)) }
        XCTAssertThrowsError(try EventStreamDecoder.decodeAll(frame)) { error in
            XCTAssertEqual(error as? EventStreamError, .malformedHeader)
        }
    }

    func testByteAtATimeDecoding() throws {
        let message = EventStreamMessage.event("chunk", payload: Array(#"{"bytes":"eyJ9"}"#.utf8))
        let bytes = try EventStreamEncoder.encode(message) + EventStreamEncoder.encode(message)
        var decoder = EventStreamDecoder()
        var count = 0
        for b in bytes {
            decoder.feed([b])
            while let m = try decoder.next() {
                XCTAssertEqual(m, message)
                count += 1
            }
        }
        XCTAssertEqual(count, 2)
    }

    /// The Bedrock frames in `bedrock_eventstream.json` decode and re-encode byte for byte.
    func testBedrockFrames() throws {
        let cases = try Fixtures.json("vectors/bedrock_eventstream.json")["cases"]!.arrayValue!
        var frames = 0
        for c in cases {
            for frame in c["frames"]?.arrayValue ?? [] {
                frames += 1
                let bytes = frame["hex"]!.stringValue!.hexBytes
                let messages = try EventStreamDecoder.decodeAll(bytes)
                XCTAssertEqual(messages.count, 1)
                XCTAssertEqual(try EventStreamEncoder.encode(messages[0]), bytes)
                if let payload = frame["payload_utf8"]?.stringValue {
                    XCTAssertEqual(String(decoding: messages[0].payload, as: UTF8.self), payload)
                }
            }
        }
        XCTAssertEqual(frames, 37)
    }
}
