import AWSWire
public import Durable
import Foundation
import JSONCore
import Locking

/// Buckets and objects: the slice of S3 that batch inference and Step Functions read and
/// write. Bucket names are global, as in S3; each bucket remembers its owner and region.
/// Objects live in memory, or under a data directory when one is given (`--data-dir`), where
/// file names are digests of the keys so no key can name a path outside it.
public final class ObjectStore: Sendable {
    private struct State: Sendable {
        var buckets: [String: BucketContents] = [:]
        var uploads: [String: MultipartUpload] = [:]
        var uploadCounter: UInt64 = 0
    }

    private let state: Locked<State>
    private let disk: DiskStore?
    private let now: @Sendable () -> Int64
    private let seed: UInt64

    /// - Parameters:
    ///   - dataDirectory: where objects persist; nil keeps everything in memory.
    ///   - database: the data directory's state database, where buckets and objects are
    ///     described; opened here when not given (the server hands it the one it has open).
    ///   - now: milliseconds since the epoch, from the server's clock.
    public init(dataDirectory: String? = nil, database: StateDatabase? = nil, seed: UInt64 = 0, now: @escaping @Sendable () -> Int64) throws(ObjectStoreError) {
        self.now = now
        self.seed = seed
        var initial = State()
        if let dataDirectory {
            let opened: StateDatabase
            do throws(SQLiteDatabase.Failure) {
                if let database {
                    opened = database
                } else {
                    try? FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
                    opened = try StateDatabase(directory: dataDirectory)
                }
            } catch {
                throw .storage(error.description)
            }
            let disk = try DiskStore(root: dataDirectory, database: opened)
            for bucket in try disk.loadBuckets() {
                initial.buckets[bucket.info.name] = bucket
                for upload in disk.loadUploads(bucket: bucket.info.name) { initial.uploads[upload.uploadId] = upload }
            }
            self.disk = disk
        } else {
            disk = nil
        }
        state = Locked(initial)
    }

    public var persistsToDisk: Bool { disk != nil }

    /// The bytes of every object body and every open upload's parts: what the objects take in
    /// the data directory, without a walk of its files (health reports it).
    public var storedBytes: Int64 {
        state.withLock { state in
            var total: Int64 = 0
            for bucket in state.buckets.values { for object in bucket.objects.values { total += Int64(object.size) } }
            for upload in state.uploads.values { for part in upload.parts.values { total += Int64(part.size) } }
            return total
        }
    }

    // MARK: Buckets

    public func createBucket(_ name: String, account: String, region: String) throws(ObjectStoreError) {
        let info = BucketInfo(name: name, ownerAccount: account, region: region, creationMillis: now())
        try state.withLock { state throws(ObjectStoreError) in
            if let existing = state.buckets[name] {
                // us-east-1 answers 200 to its owner re-creating a bucket there (legacy S3).
                if existing.info.ownerAccount == account {
                    if existing.info.region == "us-east-1" && region == "us-east-1" { return }
                    throw .bucketAlreadyOwnedByYou(name)
                }
                throw .bucketAlreadyExists(name)
            }
            try disk?.writeBucket(info)
            state.buckets[name] = BucketContents(info: info)
        }
    }

    public func bucket(_ name: String) throws(ObjectStoreError) -> BucketInfo {
        guard let info = state.withLock({ $0.buckets[name]?.info }) else { throw .noSuchBucket(name) }
        return info
    }

    /// Buckets owned by `account`, by name.
    public func buckets(ownedBy account: String) -> [BucketInfo] {
        state.withLock { $0.buckets.values.map(\.info) }.filter { $0.ownerAccount == account }.sorted { $0.name < $1.name }
    }

    public func deleteBucket(_ name: String) throws(ObjectStoreError) {
        try state.withLock { state throws(ObjectStoreError) in
            guard let bucket = state.buckets[name] else { throw .noSuchBucket(name) }
            guard bucket.objects.isEmpty else { throw .bucketNotEmpty(name) }
            try disk?.removeBucket(name)
            state.buckets[name] = nil
            state.uploads = state.uploads.filter { $0.value.bucket != name }
        }
    }

    // MARK: Objects

    /// Stores an object (replacing any with the key) and returns it.
    @discardableResult
    public func put(bucket: String, key: String, body: [UInt8], metadata: ObjectMetadata) throws(ObjectStoreError) -> StoredObject {
        try store(bucket: bucket, key: key, body: body, etag: "\"\(Digest.hex(Digest.md5(body)))\"", metadata: metadata, partsCount: nil)
    }

    private func store(bucket: String, key: String, body: [UInt8], etag: String, metadata: ObjectMetadata, partsCount: Int?) throws(ObjectStoreError) -> StoredObject {
        guard state.withLock({ $0.buckets[bucket] != nil }) else { throw .noSuchBucket(bucket) }
        var object = StoredObject(
            key: key, size: body.count, etag: etag, lastModifiedMillis: now(), metadata: metadata, partsCount: partsCount, body: .memory(body))
        // The body is written and flushed before the lock is taken; only its rename and the
        // commit of its row happen under it.
        let staged = try disk?.stage(body, as: object, bucket: bucket)
        return try state.withLock { state throws(ObjectStoreError) in
            guard state.buckets[bucket] != nil else {
                if let staged { disk?.discard(staged.body) }
                throw .noSuchBucket(bucket)
            }
            if let disk, let staged {
                var previous: String? = nil
                if case .file(let path)? = state.buckets[bucket]!.objects[ObjectKey(key)]?.body { previous = path }
                object.body = .file(try disk.commit(staged, replacing: previous))
            }
            state.buckets[bucket]!.insert(object)
            return object
        }
    }

    /// The object's description, without reading its body.
    public func head(bucket: String, key: String) throws(ObjectStoreError) -> StoredObject {
        try state.withLock { state throws(ObjectStoreError) in
            guard let contents = state.buckets[bucket] else { throw .noSuchBucket(bucket) }
            guard let object = contents.objects[ObjectKey(key)] else { throw .noSuchKey(key) }
            return object
        }
    }

    /// The object and its bytes (or the byte range asked for).
    public func get(bucket: String, key: String, range: ClosedRange<Int>? = nil) throws(ObjectStoreError) -> (StoredObject, [UInt8]) {
        let object = try head(bucket: bucket, key: key)
        return (object, try bytes(of: object, range: range))
    }

    public func bytes(of object: StoredObject, range: ClosedRange<Int>? = nil) throws(ObjectStoreError) -> [UInt8] {
        try bytes(of: object.body, range: range)
    }

    private func bytes(of body: ObjectBody, range: ClosedRange<Int>? = nil) throws(ObjectStoreError) -> [UInt8] {
        switch body {
        case .memory(let bytes):
            guard let range else { return bytes }
            return Array(bytes[range])
        case .file(let path):
            guard let disk else { throw .storage("no data directory") }
            return try disk.read(path, range: range)
        }
    }

    /// Removes the object; removing a missing key succeeds, as in S3.
    public func delete(bucket: String, key: String) throws(ObjectStoreError) {
        try state.withLock { state throws(ObjectStoreError) in
            guard state.buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
            if let disk, case .file(let path)? = state.buckets[bucket]!.objects[ObjectKey(key)]?.body {
                try disk.remove(bucket: bucket, key: key, body: path)
            }
            _ = state.buckets[bucket]!.remove(ObjectKey(key))
        }
    }

    public func list(bucket: String, prefix: String, delimiter: String?, startAfter: String?, maxKeys: Int) throws(ObjectStoreError) -> ObjectListing {
        try state.withLock { state throws(ObjectStoreError) in
            guard let contents = state.buckets[bucket] else { throw .noSuchBucket(bucket) }
            return contents.list(prefix: prefix, delimiter: delimiter, startAfter: startAfter, maxKeys: maxKeys)
        }
    }

    /// Copies an object; `metadata` replaces the source's headers when given (`REPLACE`).
    /// The checksum describes the bytes, so it always comes with them.
    public func copy(from source: (bucket: String, key: String), to target: (bucket: String, key: String), metadata: ObjectMetadata?) throws(ObjectStoreError) -> StoredObject {
        let (object, body) = try get(bucket: source.bucket, key: source.key)
        var kept = metadata ?? object.metadata
        kept.checksum = object.metadata.checksum
        return try store(bucket: target.bucket, key: target.key, body: body, etag: object.etag, metadata: kept, partsCount: object.partsCount)
    }

    // MARK: Multipart uploads

    public func createUpload(bucket: String, key: String, metadata: ObjectMetadata) throws(ObjectStoreError) -> MultipartUpload {
        try state.withLock { state throws(ObjectStoreError) in
            guard state.buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
            // Counting starts again after a restart, so an id an open upload read back from the
            // data directory already has is passed over.
            var id: String
            repeat {
                state.uploadCounter += 1
                id = Self.uploadId(seed: seed, counter: state.uploadCounter, bucket: bucket, key: key)
            } while state.uploads[id] != nil
            let upload = MultipartUpload(uploadId: id, bucket: bucket, key: key, metadata: metadata, initiatedMillis: now())
            try disk?.writeUpload(upload)
            state.uploads[id] = upload
            return upload
        }
    }

    /// Upload ids look like S3's (long, URL-safe) and follow from the seed and the order of
    /// uploads, so a rerun gives the same ids.
    static func uploadId(seed: UInt64, counter: UInt64, bucket: String, key: String) -> String {
        var material = Array("\(seed)/\(counter)/\(bucket)/".utf8)
        material.append(contentsOf: key.utf8)
        return Digest.hex(Digest.sha256(material)) + Digest.hex(Digest.md5(material))
    }

    public func upload(_ uploadId: String, bucket: String, key: String) throws(ObjectStoreError) -> MultipartUpload {
        try state.withLock { state throws(ObjectStoreError) in
            guard state.buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
            guard let upload = state.uploads[uploadId], upload.bucket == bucket, upload.key == key else { throw .noSuchUpload(uploadId) }
            return upload
        }
    }

    public func uploads(bucket: String) throws(ObjectStoreError) -> [MultipartUpload] {
        try state.withLock { state throws(ObjectStoreError) in
            guard state.buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
            return state.uploads.values.filter { $0.bucket == bucket }.sorted {
                ObjectKey($0.key) < ObjectKey($1.key) || ($0.key == $1.key && $0.initiatedMillis < $1.initiatedMillis)
            }
        }
    }

    /// Under `--data-dir` the part is on the disk, and named by the upload's description,
    /// before this returns (and so before UploadPart is answered).
    public func uploadPart(
        _ uploadId: String, bucket: String, key: String, number: Int, body: [UInt8], checksum: ObjectChecksum?
    ) throws(ObjectStoreError) -> MultipartUpload.UploadedPart {
        var part = MultipartUpload.UploadedPart(
            number: number, etag: "\"\(Digest.hex(Digest.md5(body)))\"", size: body.count, lastModifiedMillis: now(), checksum: checksum,
            body: .memory(body))
        // As for a PUT: the body is written before the lock is taken; the commit happens under it.
        let staged = try disk?.stage(body)
        return try state.withLock { state throws(ObjectStoreError) in
            guard state.buckets[bucket] != nil, var upload = state.uploads[uploadId], upload.bucket == bucket, upload.key == key else {
                if let staged { disk?.discard(staged) }
                guard state.buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
                throw .noSuchUpload(uploadId)
            }
            let replaced = upload.parts[number]?.body
            if let disk, let staged {
                let path = try disk.placePart(staged, uploadId: uploadId, number: number, bucket: bucket)
                part.body = .file(path)
                upload.parts[number] = part
                do throws(ObjectStoreError) { try disk.writeUpload(upload) } catch {
                    disk.discard(path)
                    throw error
                }
                if case .file(let previous)? = replaced, previous != path { disk.discard(previous) }
            } else {
                upload.parts[number] = part
            }
            state.uploads[uploadId] = upload
            return part
        }
    }

    public func completeUpload(_ uploadId: String, bucket: String, key: String, parts: [(number: Int, etag: String)]) throws(ObjectStoreError) -> StoredObject {
        let upload = try self.upload(uploadId, bucket: bucket, key: key)
        let (body, etag) = try upload.assemble(parts) { body throws(ObjectStoreError) in try bytes(of: body) }
        var metadata = upload.metadata
        if let algorithm = metadata.checksum?.algorithm {
            metadata.checksum = Self.compositeChecksum(algorithm: algorithm, parts: parts.compactMap { upload.parts[$0.number]?.checksum })
        }
        // The object is committed whole (or not at all) as a PUT is; only then is the upload
        // forgotten, so a crash between the two leaves it listed beside the object, never lost.
        let object = try store(bucket: bucket, key: key, body: body, etag: etag, metadata: metadata, partsCount: parts.count)
        state.withLock { state in
            if let removed = state.uploads.removeValue(forKey: uploadId) { disk?.removeUpload(removed) }
        }
        return object
    }

    /// S3's composite checksum for SHA and CRC32(C) parts: the checksum of the parts'
    /// checksums, then `-<parts>`. Only CRC32 is computed here; other algorithms are dropped.
    static func compositeChecksum(algorithm: String, parts: [ObjectChecksum]) -> ObjectChecksum? {
        guard algorithm == "CRC32", !parts.isEmpty else { return nil }
        var raw: [UInt8] = []
        for part in parts {
            guard let bytes = Base64.decode(part.value) else { return nil }
            raw.append(contentsOf: bytes)
        }
        let crc = Digest.crc32(raw)
        let be: [UInt8] = [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        return ObjectChecksum(algorithm: algorithm, value: "\(Base64.encode(be))-\(parts.count)", type: "COMPOSITE")
    }

    public func abortUpload(_ uploadId: String, bucket: String, key: String) throws(ObjectStoreError) {
        try state.withLock { state throws(ObjectStoreError) in
            guard state.buckets[bucket] != nil else { throw .noSuchBucket(bucket) }
            guard let upload = state.uploads[uploadId], upload.bucket == bucket, upload.key == key else { throw .noSuchUpload(uploadId) }
            state.uploads[uploadId] = nil
            disk?.removeUpload(upload)
        }
    }

    /// Forgets everything (the admin reset), including what is on disk.
    public func reset() {
        state.withLock { state in
            for name in state.buckets.keys { try? disk?.removeBucket(name, force: true) }
            state = State()
        }
    }
}
