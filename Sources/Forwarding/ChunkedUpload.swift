import AWSWire

/// An S3 upload sent `aws-chunked` (signed chunks, or unsigned chunks with a checksum trailer),
/// rewritten as the plain upload botocore sends over plain HTTP: the decoded bytes with a
/// `Content-Length`, the checksum trailer as an `x-amz-checksum-*` header beside
/// `x-amz-sdk-checksum-algorithm`, and `aws-chunked` gone from `Content-Encoding`.
///
/// Why not re-chunk: the chunk signatures chain from the request's signature, so they would all
/// have to be recomputed, and the body is already in memory whole. A plain body with its
/// SHA-256 signed is a form S3 takes from every SDK, and it keeps the object's checksum.
struct ChunkedUpload {
    var content: [UInt8]
    var headers: [(name: String, value: String)]

    /// Headers that describe the chunked encoding and mean nothing for a plain body.
    static let encodingHeaders: Set<String> = ["x-amz-decoded-content-length", "x-amz-trailer"]

    /// - Parameter headers: the client's headers, already without the ones the forwarder drops.
    init(body: [UInt8], headers: [(name: String, value: String)]) throws(ForwardingError) {
        let decoded: AWSChunkedBody
        do {
            decoded = try AWSChunkedBody(decoding: body)
        } catch {
            switch error {
            case .malformed(let reason): throw .malformedChunkedBody(reason)
            }
        }
        let declared = headers.first { $0.name.lowercased() == "x-amz-decoded-content-length" }?.value
        if let declared, Int(declared) != decoded.content.count {
            throw .malformedChunkedBody("it decodes to \(decoded.content.count) bytes, not the \(declared) of X-Amz-Decoded-Content-Length")
        }
        content = decoded.content
        let checksums = decoded.trailers.filter { ChecksumAlgorithm(headerName: $0.name) != nil }
        let replaced = Set(checksums.map(\.name))
        var kept: [(name: String, value: String)] = []
        for header in headers {
            let lower = header.name.lowercased()
            if Self.encodingHeaders.contains(lower) || replaced.contains(lower) { continue }
            if lower == "content-encoding" {
                let codings = header.value.split(separator: ",").map(Self.trimmed).filter { !$0.isEmpty && $0.lowercased() != "aws-chunked" }
                if !codings.isEmpty { kept.append((header.name, codings.joined(separator: ","))) }
                continue
            }
            kept.append(header)
        }
        kept += checksums
        if let first = checksums.first, let algorithm = ChecksumAlgorithm(headerName: first.name),
            !kept.contains(where: { $0.name.lowercased() == "x-amz-sdk-checksum-algorithm" })
        {
            kept.append(("x-amz-sdk-checksum-algorithm", algorithm.rawValue))
        }
        self.headers = kept
    }

    static func trimmed(_ text: Substring) -> String {
        var text = text
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
