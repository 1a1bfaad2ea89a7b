import AWSWire
import FuzzSupport

/// The event-stream frame decoder (Bedrock's streams, and any client frame the server reads),
/// CRC checks included. Three properties:
/// - fed the bytes whole or in small pieces, it yields the same messages and the same error;
/// - every message it accepts encodes back to exactly the bytes it came from (the frame format
///   has one encoding for a message), and that encoding decodes to the same message;
/// - nothing traps, whatever the lengths say.
///
/// Random bytes rarely carry two right CRCs, so when the first byte is odd the fuzzer writes the
/// right CRCs into each frame first (only the checksums; lengths and headers stay as fuzzed).
enum EventStreamFuzzer {
    static func run(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        var bytes = Array(input.dropFirst())
        if mode & 1 == 1 { repairChecksums(&bytes) }
        let (whole, wholeError) = decode(bytes, pieceSizes: [bytes.count])
        let (pieces, piecesError) = decode(bytes, pieceSizes: [1, 3, 7, 12, 5, 64, 2])
        Invariant.require(whole == pieces, "whole and piecewise decoding yield different messages")
        Invariant.require(
            wholeError == piecesError,
            "whole and piecewise decoding fail differently: \(String(describing: wholeError)) vs \(String(describing: piecesError))")
        var offset = 0
        for message in whole {
            let encoded: [UInt8]
            do { encoded = try EventStreamEncoder.encode(message) } catch {
                // The decoder reads string and byte-array values up to 65,535 bytes, as the
                // wire's length field allows; the encoder writes at most 32,767 (the spec's limit).
                if case .headerValueTooLong = error { return }
                Invariant.broken("a decoded message does not encode: \(error)")
            }
            Invariant.require(offset + encoded.count <= bytes.count, "a decoded message encodes longer than its frame")
            Invariant.require(bytes[offset..<(offset + encoded.count)].elementsEqual(encoded), "a decoded message encodes to other bytes")
            offset += encoded.count
            guard let back = try? EventStreamDecoder.decodeAll(encoded), back == [message] else {
                Invariant.broken("an encoded message does not decode to itself")
            }
        }
    }

    /// Feeds `bytes` in pieces of the given sizes (cycled), taking out every whole message after
    /// each piece, until the first error.
    static func decode(_ bytes: [UInt8], pieceSizes: [Int]) -> ([EventStreamMessage], EventStreamError?) {
        var decoder = EventStreamDecoder()
        var messages: [EventStreamMessage] = []
        var start = 0
        var piece = 0
        while start < bytes.count {
            let end = min(bytes.count, start + max(1, pieceSizes[piece % pieceSizes.count]))
            decoder.feed(bytes[start..<end])
            start = end
            piece += 1
            do {
                while let message = try decoder.next() { messages.append(message) }
            } catch {
                return (messages, error)
            }
        }
        return (messages, nil)
    }

    /// Writes the prelude CRC and the message CRC of each frame its total length spans.
    static func repairChecksums(_ bytes: inout [UInt8]) {
        var start = 0
        while bytes.count - start >= 16 {
            let total = Int(bytes[start]) << 24 | Int(bytes[start + 1]) << 16 | Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
            store(Digest.crc32(bytes[start..<(start + 8)]), at: start + 8, in: &bytes)
            guard total >= 16, total <= bytes.count - start else { return }
            store(Digest.crc32(bytes[start..<(start + total - 4)]), at: start + total - 4, in: &bytes)
            start += total
        }
    }

    static func store(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * k)) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    EventStreamFuzzer.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
