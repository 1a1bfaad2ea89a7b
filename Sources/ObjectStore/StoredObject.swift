/// An additional checksum S3 keeps with an object (`x-amz-checksum-<algorithm>`), returned
/// when the client asks for it with `x-amz-checksum-mode: ENABLED`.
public struct ObjectChecksum: Sendable, Equatable {
    /// `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1` or `SHA256`.
    public var algorithm: String
    /// Base64 of the digest; a multipart object's composite value ends in `-<parts>`.
    public var value: String
    /// `FULL_OBJECT` or `COMPOSITE`.
    public var type: String

    public init(algorithm: String, value: String, type: String = "FULL_OBJECT") {
        self.algorithm = algorithm
        self.value = value
        self.type = type
    }
}

/// The headers S3 stores with an object and returns on GET and HEAD.
public struct ObjectMetadata: Sendable, Equatable {
    public var contentType: String?
    public var contentEncoding: String?
    public var contentDisposition: String?
    public var contentLanguage: String?
    public var cacheControl: String?
    public var expires: String?
    /// `x-amz-meta-*` pairs, names lowercased as S3 returns them.
    public var user: [UserMetadata] = []
    public var checksum: ObjectChecksum?
    public var storageClass: String?

    public struct UserMetadata: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init() {}
}

/// One stored object. The body is in memory, or in a file of the data directory.
public struct StoredObject: Sendable {
    public var key: String
    public var size: Int
    /// Quoted, as S3 sends it: `"<md5 hex>"`, or `"<md5 of part md5s>-<parts>"` for multipart.
    public var etag: String
    public var lastModifiedMillis: Int64
    public var metadata: ObjectMetadata
    public var partsCount: Int?
    var body: ObjectBody

    init(key: String, size: Int, etag: String, lastModifiedMillis: Int64, metadata: ObjectMetadata, partsCount: Int?, body: ObjectBody) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModifiedMillis = lastModifiedMillis
        self.metadata = metadata
        self.partsCount = partsCount
        self.body = body
    }
}

/// Where an object's bytes live.
enum ObjectBody: Sendable {
    case memory([UInt8])
    case file(String)
}

/// A bucket as ListBuckets and HeadBucket report it.
public struct BucketInfo: Sendable {
    public var name: String
    public var ownerAccount: String
    public var region: String
    public var creationMillis: Int64
}
