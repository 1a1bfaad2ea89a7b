import AWSWire
import FuzzSupport

/// The aws-chunked body decoder S3 uploads go through (sigv4-streaming, unsigned payloads with
/// trailers), and the chunk-signature chain that checks them.
///
/// Beyond not trapping: a decoded body written out again, each chunk signed afresh along the
/// chain and the trailers signed after it, must decode to the same content, chunks and
/// trailers, and must verify; the body as fuzzed is verified too (it may or may not pass).
enum ChunkedFuzzer {
    /// The S3 API reference's streaming example (Tests/Fixtures/vectors/sigv4/s3-streaming.json),
    /// so its seed body verifies.
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let amzDate = "20130524T000000Z"
    static let seedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
    static let chain = SigV4ChunkChain(
        signingKey: SigV4.signingKey(secret: secret, date: "20130524", region: "us-east-1", service: "s3"),
        amzDate: amzDate, scope: SigV4.scope(date: "20130524", region: "us-east-1", service: "s3"), seedSignature: seedSignature)

    static func run(_ bytes: [UInt8]) {
        guard let body = try? AWSChunkedBody(decoding: bytes) else { return }
        _ = body.verify(chain: chain)
        _ = body.trailer("x-amz-checksum-crc32")
        let trailers = body.trailers.filter { $0.name != "x-amz-trailer-signature" }
        let rewritten = signedBody(content: body.content, chunks: body.chunks.map(\.range), trailers: trailers)
        let again: AWSChunkedBody
        do { again = try AWSChunkedBody(decoding: rewritten) } catch {
            Invariant.broken("a decoded body written out again does not decode: \(error)")
        }
        Invariant.require(again.content == body.content, "the rewritten body has other content")
        Invariant.require(again.chunks.map(\.range) == body.chunks.map(\.range), "the rewritten body has other chunks")
        Invariant.require(again.trailers.dropLast().elementsEqual(trailers, by: ==), "the rewritten body has other trailers")
        Invariant.require(again.verify(chain: chain), "a body signed along the chain does not verify")
    }

    /// `<hex size>;chunk-signature=<sig>\r\n<data>\r\n` per chunk (the last one empty), then each
    /// trailer and the trailer signature, then a blank line.
    static func signedBody(content: [UInt8], chunks: [Range<Int>], trailers: [(name: String, value: String)]) -> [UInt8] {
        var chain = chain
        var out: [UInt8] = []
        for range in chunks {
            let signature = chain.sign(chunk: content[range])
            out += Array("\(String(range.count, radix: 16));chunk-signature=\(signature)\r\n".utf8)
            out += content[range]
            if !range.isEmpty { out += Array("\r\n".utf8) }
        }
        for trailer in trailers { out += Array("\(trailer.name):\(trailer.value)\r\n".utf8) }
        out += Array("x-amz-trailer-signature:\(chain.trailerSignature(trailers: trailers))\r\n\r\n".utf8)
        return out
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ChunkedFuzzer.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
