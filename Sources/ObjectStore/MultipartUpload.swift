import AWSWire

/// An upload started by CreateMultipartUpload, collecting parts until it is completed or
/// aborted. Parts live in memory, or under `--data-dir` in files beside the upload's
/// description (`DiskStore+Uploads`), so an open upload outlives a restart or a crash.
public struct MultipartUpload: Sendable {
    public var uploadId: String
    public var bucket: String
    public var key: String
    public var metadata: ObjectMetadata
    public var initiatedMillis: Int64
    public var parts: [Int: UploadedPart] = [:]

    /// S3's smallest part, except the last one.
    public static let minimumPartSize = 5 * 1024 * 1024
    public static let maximumPartNumber = 10_000

    public struct UploadedPart: Sendable {
        public var number: Int
        /// Quoted MD5 hex of the part.
        public var etag: String
        public var size: Int
        public var lastModifiedMillis: Int64
        public var checksum: ObjectChecksum?
        var body: ObjectBody
    }

    /// Joins the named parts into one body; the ETag is the MD5 of the parts' binary MD5s,
    /// then `-<count>`, as S3 computes it. `read` gives a part's bytes, wherever they live.
    func assemble(
        _ requested: [(number: Int, etag: String)], read: (ObjectBody) throws(ObjectStoreError) -> [UInt8]
    ) throws(ObjectStoreError) -> (body: [UInt8], etag: String) {
        var previous = 0
        for wanted in requested {
            guard wanted.number > previous else { throw .invalidPartOrder }
            previous = wanted.number
        }
        var body: [UInt8] = []
        var digests: [UInt8] = []
        for (i, wanted) in requested.enumerated() {
            guard let part = parts[wanted.number], Self.sameETag(part.etag, wanted.etag) else { throw .invalidPart(wanted.number) }
            if i < requested.count - 1, part.size < Self.minimumPartSize { throw .entityTooSmall }
            let bytes = try read(part.body)
            body.append(contentsOf: bytes)
            digests.append(contentsOf: Digest.md5(bytes))
        }
        return (body, "\"\(Digest.hex(Digest.md5(digests)))-\(requested.count)\"")
    }

    /// Clients send ETags with or without quotes.
    public static func sameETag(_ a: String, _ b: String) -> Bool {
        func bare(_ s: String) -> Substring {
            var t = Substring(s).trimmingPrefix("\"")
            if t.hasSuffix("\"") { t = t.dropLast() }
            return t
        }
        return bare(a) == bare(b)
    }
}
