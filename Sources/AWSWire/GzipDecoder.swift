import CZlib

/// Inflates gzip data (RFC 1952), concatenated members included, as Step Functions reads a
/// `.gz` ItemReader object or an S3 inventory's data files.
public enum GzipDecoder {
    public struct Failure: Error, Sendable {
        public let reason: String
    }

    /// The gzip magic number: `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The inflated bytes; fails on corrupt or truncated input, or past `limit` bytes out
    /// (a small archive can expand without bound).
    public static func decompress(_ bytes: [UInt8], limit: Int = 1 << 30) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16: expect a gzip header and trailer rather than zlib's.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(reason: "the decompressor could not start")
        }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while status == Z_OK, output.count <= limit {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: target.prefix(target.count - Int(stream.avail_out)))
                }
                // Another gzip member follows this one.
                if status == Z_STREAM_END, stream.avail_in > 0, inflateReset(&stream) == Z_OK { status = Z_OK }
            }
        }
        guard output.count <= limit else { throw Failure(reason: "the data inflates past \(limit) bytes") }
        guard status == Z_STREAM_END else {
            throw Failure(reason: status == Z_BUF_ERROR ? "the data ends before its gzip trailer" : "the data is not valid gzip")
        }
        return output
    }
}
