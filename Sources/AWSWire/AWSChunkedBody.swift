/// A decoded `Content-Encoding: aws-chunked` body (S3 sigv4-streaming, wire.md §5): the
/// content, each chunk's declared signature, and the trailers after the last chunk.
///
/// `<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n` … `0[;chunk-signature=<sig>]\r\n`, then
/// trailer lines `name:value\r\n` and a blank line.
public struct AWSChunkedBody: Sendable {
    public var content: [UInt8] = []
    /// Every chunk (the final empty one included) with its signature, when signed.
    public var chunks: [(range: Range<Int>, signature: String?)] = []
    public var trailers: [(name: String, value: String)] = []

    public enum Failure: Error, Sendable, Equatable {
        case malformed(String)
    }

    /// Whether the request's body is aws-chunked.
    public static func isChunked(contentSHA256: String?, contentEncoding: String?) -> Bool {
        if let contentSHA256, contentSHA256.hasPrefix("STREAMING-") { return true }
        guard let contentEncoding else { return false }
        return contentEncoding.split(separator: ",").contains { $0.trimmingSpaces == "aws-chunked" }
    }

    public init(decoding body: [UInt8]) throws(Failure) {
        var i = 0
        func line() throws(Failure) -> ArraySlice<UInt8> {
            var j = i
            while j + 1 < body.count, !(body[j] == 0x0D && body[j + 1] == 0x0A) { j += 1 }
            guard j + 1 < body.count else { throw .malformed("a chunk header is not terminated by CRLF") }
            defer { i = j + 2 }
            return body[i..<j]
        }
        while true {
            let header = try line()
            let parts = header.split(separator: UInt8(ascii: ";"), maxSplits: 1)
            guard let sizeText = parts.first.map({ String(decoding: $0, as: UTF8.self).trimmingSpaces }), let size = Int(sizeText, radix: 16), size >= 0
            else { throw .malformed("a chunk size is not hexadecimal") }
            var signature: String?
            if parts.count == 2 {
                let extensionText = String(decoding: parts[1], as: UTF8.self)
                if extensionText.hasPrefix("chunk-signature=") { signature = String(extensionText.dropFirst(16)) }
            }
            guard body.count - i >= size else { throw .malformed("a chunk is shorter than its declared size") }
            let start = content.count
            content.append(contentsOf: body[i..<(i + size)])
            chunks.append((start..<content.count, signature))
            i += size
            if size == 0 { break }
            guard i + 1 < body.count, body[i] == 0x0D, body[i + 1] == 0x0A else { throw .malformed("a chunk's data is not followed by CRLF") }
            i += 2
        }
        // Trailers, until a blank line (or the end, which some clients omit).
        while i < body.count {
            let text = try line()
            if text.isEmpty { break }
            guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed("a trailer has no ':'") }
            trailers.append(
                (String(decoding: text[text.startIndex..<colon], as: UTF8.self).lowercased(),
                 String(String(decoding: text[(colon + 1)...], as: UTF8.self).trimmingSpaces)))
        }
    }

    public func trailer(_ name: String) -> String? { trailers.first { $0.name == name.lowercased() }?.value }

    /// Checks every chunk signature along the chain, then the trailer signature if any.
    public func verify(chain start: SigV4ChunkChain) -> Bool {
        var chain = start
        for chunk in chunks {
            guard let signature = chunk.signature, chain.verify(chunk: content[chunk.range], signature: signature) else { return false }
        }
        if let declared = trailer("x-amz-trailer-signature") {
            let signed = trailers.filter { $0.name != "x-amz-trailer-signature" }
            return chain.trailerSignature(trailers: signed) == declared.lowercased()
        }
        return true
    }
}
