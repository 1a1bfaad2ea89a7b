public import ObjectStore

/// Where batch jobs read their JSONL and write their outputs: the embedded object store, or
/// (through the server) an external S3-compatible endpoint. Asynchronous, because the external
/// one is a network round trip; the embedded one never suspends.
public protocol BatchStorage: Sendable {
    /// Whether the bucket exists and answers.
    func bucketExists(_ bucket: String) async -> Bool
    func objectExists(bucket: String, key: String) async -> Bool
    /// Every key under `prefix`, in key order, across all pages.
    func keys(bucket: String, prefix: String) async throws(BatchStorageError) -> [String]
    func get(bucket: String, key: String) async throws(BatchStorageError) -> [UInt8]
    func put(bucket: String, key: String, body: [UInt8], contentType: String) async throws(BatchStorageError)
}

/// A storage call that failed: the S3 error code (or a transport failure) and its message.
public struct BatchStorageError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// The embedded store, as batch storage.
public struct EmbeddedBatchStorage: BatchStorage {
    public let store: ObjectStore

    public init(store: ObjectStore) { self.store = store }

    public func bucketExists(_ bucket: String) async -> Bool {
        (try? store.bucket(bucket)) != nil
    }

    public func objectExists(bucket: String, key: String) async -> Bool {
        (try? store.head(bucket: bucket, key: key)) != nil
    }

    public func keys(bucket: String, prefix: String) async throws(BatchStorageError) -> [String] {
        var keys: [String] = []
        var after: String?
        while true {
            let page: ObjectListing
            do {
                page = try store.list(bucket: bucket, prefix: prefix, delimiter: nil, startAfter: after, maxKeys: 1000)
            } catch {
                throw BatchStorageError(code: "NoSuchBucket", message: "\(error)")
            }
            keys += page.objects.map(\.key)
            guard page.isTruncated, let last = page.lastReturned else { return keys }
            after = last
        }
    }

    public func get(bucket: String, key: String) async throws(BatchStorageError) -> [UInt8] {
        do {
            return try store.get(bucket: bucket, key: key).1
        } catch {
            throw BatchStorageError(code: "NoSuchKey", message: "\(error)")
        }
    }

    public func put(bucket: String, key: String, body: [UInt8], contentType: String) async throws(BatchStorageError) {
        var metadata = ObjectMetadata()
        metadata.contentType = contentType
        do {
            _ = try store.put(bucket: bucket, key: key, body: body, metadata: metadata)
        } catch {
            throw BatchStorageError(code: "InternalError", message: "\(error)")
        }
    }
}
