/// What the store refuses, named after the S3 error each becomes.
public enum ObjectStoreError: Error, Sendable, Equatable {
    case noSuchBucket(String)
    /// The caller already owns the bucket.
    case bucketAlreadyOwnedByYou(String)
    /// Another account owns the bucket (bucket names are global, as in S3).
    case bucketAlreadyExists(String)
    case bucketNotEmpty(String)
    case noSuchKey(String)
    case noSuchUpload(String)
    /// A part named in CompleteMultipartUpload was not uploaded, or its ETag differs.
    case invalidPart(Int)
    /// Parts in CompleteMultipartUpload are not in ascending order.
    case invalidPartOrder
    /// A part other than the last is under 5 MiB.
    case entityTooSmall
    /// The data directory could not be written or read.
    case storage(String)
}
