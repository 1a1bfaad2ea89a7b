import AWSWire
import Durable
import Foundation
import JSONCore
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects on disk under `<root>/s3/<bucket>/objects/`, described in the state database.
/// Body files are named by the SHA-256 of the key, so a key (`../../etc/passwd` included) is
/// only ever data, never a path.
///
/// An object is a body file, `<hash>.<version>`, a name no other write ever uses, and a row of
/// `StateDatabase.Kind.objects` (size, ETag, headers, checksum) that names it. A PUT writes the
/// body to a staging file and flushes it (issue 23: "written to a temporary file, fsynced"),
/// renames it into the bucket, then commits the row: that commit is the one commit point, and
/// the write is acknowledged after it. A crash before it leaves the previous object whole (its
/// body is only unlinked after), a crash after it leaves the new one whole. The row commits
/// under SQLite's `synchronous=NORMAL`, as everything else in the database does: it survives
/// `kill -9`; a power loss may take back the last commits, and a row whose body did not
/// survive is dropped at start-up rather than served torn.
/// Start-up removes what a crash can leave behind: staged bodies, bodies no row names, and
/// bucket directories no row names. Until schema 5 descriptions were JSON files beside the
/// bodies; start-up moves them into the database (`DiskStore+FileDescriptions.swift`).
final class DiskStore: Sendable {
    let root: String
    let staging: String
    let database: StateDatabase
    private let counter = Locked<UInt64>(0)

    init(root: String, database: StateDatabase) throws(ObjectStoreError) {
        self.root = (root as NSString).standardizingPath + "/s3"
        self.database = database
        staging = self.root + "/.staging"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw .storage("cannot create the data directory \(self.root): \(error.localizedDescription)")
        }
        // Bodies staged by a process that died before committing them.
        for file in (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? [] { unlink(staging + "/" + file) }
    }

    /// Bucket names reach the file system; the front end validates them, and this refuses
    /// anything that could still name another directory.
    func bucketDirectory(_ name: String) throws(ObjectStoreError) -> String {
        guard let first = name.utf8.first, first != UInt8(ascii: "."),
            name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D })
        else { throw .storage("bucket name '\(name)' cannot be stored") }
        return root + "/" + name
    }

    func writeBucket(_ info: BucketInfo) throws(ObjectStoreError) {
        let directory = try bucketDirectory(info.name)
        do {
            try FileManager.default.createDirectory(atPath: directory + "/objects", withIntermediateDirectories: true)
        } catch {
            throw .storage("cannot create bucket \(info.name): \(error.localizedDescription)")
        }
        do throws(SQLiteDatabase.Failure) { try database.put(.buckets, key: info.name, document: Self.describe(info).jsonString) } catch {
            throw .storage("cannot write bucket \(info.name): \(error.description)")
        }
    }

    /// Forgets a bucket: its row first (the commit point), with its objects' rows when `force`
    /// (the admin reset; otherwise it has none), then its directory.
    func removeBucket(_ name: String, force: Bool = false) throws(ObjectStoreError) {
        let directory = try bucketDirectory(name)
        do throws(SQLiteDatabase.Failure) {
            try database.delete(.buckets, key: name)
            if force { try database.delete(.objects, keysWithPrefix: name + "/") }
        } catch {
            if !force { throw .storage("cannot remove bucket \(name): \(error.description)") }
        }
        do { try FileManager.default.removeItem(atPath: directory) } catch {
            if !force { throw .storage("cannot remove bucket \(name): \(error.localizedDescription)") }
        }
    }

    /// An object's row key: bucket names have no `/`, so the first one ends the bucket.
    static func rowKey(bucket: String, key: String) -> String { bucket + "/" + key }

    /// Writes a body to a staging file, on disk when this returns, and returns its path.
    func stage(_ body: [UInt8]) throws(ObjectStoreError) -> String {
        let path = "\(staging)/\(uniqueName())"
        guard Self.writeFile(body, to: path, sync: true) else {
            unlink(path)
            throw .storage("cannot write to \(staging)")
        }
        return path
    }

    /// A name no other write of this process, or of an earlier one, has used: the time, the
    /// process and a counter.
    func uniqueName() -> String {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return "\(now.tv_sec)\(now.tv_nsec)-\(getpid())-\(number)"
    }

    /// An object written to the disk but not yet current: its body, staged and flushed, the
    /// name it will have in the bucket, and its row's document naming it. All of it is made
    /// before the store's lock is taken, so the lock is held for a rename and a commit, never
    /// for a flush (a PUT's flushes under it held up every other PUT, GET and listing).
    struct StagedObject: Sendable {
        let body: String
        let bodyTarget: String
        let rowKey: String
        let document: String
    }

    /// Writes `body` to a staging file, on the disk when this returns, and describes `object`.
    func stage(_ body: [UInt8], as object: StoredObject, bucket: String) throws(ObjectStoreError) -> StagedObject {
        let directory = try bucketDirectory(bucket) + "/objects"
        let staged = try stage(body)
        let name = Digest.sha256Hex(Array(object.key.utf8)) + "." + (staged.split(separator: "/").last.map(String.init) ?? uniqueName())
        var description = Self.describe(object).objectValue ?? JSONObject()
        description["body"] = .string(name)
        return StagedObject(
            body: staged, bodyTarget: directory + "/" + name, rowKey: Self.rowKey(bucket: bucket, key: object.key),
            document: JSONValue.object(description).jsonString)
    }

    /// Makes a staged object current (called under the store's lock, so commits to one key
    /// land in the order the store records them): moves its body into the bucket under its
    /// own name, commits its row, then lets go of the body it replaces (`previous`).
    func commit(_ staged: StagedObject, replacing previous: String?) throws(ObjectStoreError) -> String {
        guard rename(staged.body, staged.bodyTarget) == 0 else {
            unlink(staged.body)
            throw .storage("cannot move an object into place for \(staged.rowKey)")
        }
        do throws(SQLiteDatabase.Failure) { try database.put(.objects, key: staged.rowKey, document: staged.document) } catch {
            unlink(staged.bodyTarget)
            throw .storage("cannot write the description of \(staged.rowKey): \(error.description)")
        }
        if let previous, previous != staged.bodyTarget { unlink(previous) }
        return staged.bodyTarget
    }

    /// Drops a staged body that will not be committed, or a part body no longer named.
    func discard(_ staged: String) { unlink(staged) }

    /// Removes an object: its row first (the commit point), then its body.
    func remove(bucket: String, key: String, body path: String) throws(ObjectStoreError) {
        do throws(SQLiteDatabase.Failure) { try database.delete(.objects, key: Self.rowKey(bucket: bucket, key: key)) } catch {
            throw .storage("cannot remove \(key) from \(bucket): \(error.description)")
        }
        unlink(path)
    }

    /// Writes `bytes` to a new file at `path`, flushed to the disk when `sync` says.
    static func writeFile(_ bytes: [UInt8], to path: String, sync: Bool) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in write(descriptor, raw.baseAddress! + written, raw.count - written) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return false }
            written += result
        }
        return !sync || fdatasync(descriptor) == 0
    }

    /// Flushes a directory's entries (a rename into it) to the disk.
    static func syncDirectory(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return fsync(descriptor) == 0
    }

    func read(_ path: String, range: ClosedRange<Int>?) throws(ObjectStoreError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .storage("cannot read \(path)") }
        defer { try? handle.close() }
        do {
            if let range {
                try handle.seek(toOffset: UInt64(range.lowerBound))
                return [UInt8](try handle.read(upToCount: range.count) ?? Data())
            }
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw .storage("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Every bucket and object the database describes, after moving in descriptions an older
    /// Understudy left as files. A row whose body file is missing (a power loss took back the
    /// rename but not the commit) is dropped; body files and bucket directories no row names
    /// (a crash between a rename and its commit, or before an unlink) are removed.
    func loadBuckets() throws(ObjectStoreError) -> [BucketContents] {
        try moveFileDescriptionsIn()
        var buckets: [String: BucketContents] = [:]
        var dropped: [String] = []
        do throws(SQLiteDatabase.Failure) {
            for (name, document) in try database.all(.buckets) {
                guard let directory = try? bucketDirectory(name), let json = try? JSONParser.parse(Array(document.utf8)) else { continue }
                try? FileManager.default.createDirectory(atPath: directory + "/objects", withIntermediateDirectories: true)
                buckets[name] = BucketContents(info: Self.bucket(name: name, from: json))
            }
            for (rowKey, document) in try database.all(.objects) {
                let name = String(rowKey.prefix { $0 != "/" })
                guard buckets[name] != nil, let json = try? JSONParser.parse(Array(document.utf8)), let body = json["body"]?.stringValue,
                    !body.contains("/"), case let path = root + "/" + name + "/objects/" + body, access(path, F_OK) == 0,
                    let object = Self.object(from: json, path: path)
                else {
                    dropped.append(rowKey)
                    continue
                }
                buckets[name]!.insert(object)
            }
            for rowKey in dropped { try database.delete(.objects, key: rowKey) }
        } catch {
            throw .storage("cannot read the buckets in \(database.database.path): \(error.description)")
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where !name.hasPrefix(".") {
            guard let contents = buckets[name] else {
                // A bucket removed (its row deleted) by a process that died before its directory went.
                try? FileManager.default.removeItem(atPath: root + "/" + name)
                continue
            }
            let directory = root + "/" + name + "/objects"
            let named = Set(contents.objects.values.compactMap { object -> Substring? in
                guard case .file(let path) = object.body else { return nil }
                return path.split(separator: "/").last
            })
            for file in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !named.contains(Substring(file)) {
                unlink(directory + "/" + file)
            }
        }
        return buckets.keys.sorted().map { buckets[$0]! }
    }

    static func describe(_ info: BucketInfo) -> JSONValue {
        ["owner": .string(info.ownerAccount), "region": .string(info.region), "created": JSONValue(Int(info.creationMillis))]
    }

    static func bucket(name: String, from json: JSONValue) -> BucketInfo {
        BucketInfo(
            name: name, ownerAccount: json["owner"]?.stringValue ?? "000000000000", region: json["region"]?.stringValue ?? "us-east-1",
            creationMillis: Int64(json["created"]?.intValue ?? 0))
    }

    static func describe(_ object: StoredObject) -> JSONValue {
        var o = JSONObject()
        o["key"] = .string(object.key)
        o["size"] = JSONValue(object.size)
        o["etag"] = .string(object.etag)
        o["lastModified"] = JSONValue(Int(object.lastModifiedMillis))
        if let parts = object.partsCount { o["partsCount"] = JSONValue(parts) }
        describe(object.metadata, into: &o)
        return .object(o)
    }

    /// The stored headers as members of a description (an object's or an open upload's).
    static func describe(_ m: ObjectMetadata, into o: inout JSONObject) {
        for (name, value) in [
            ("contentType", m.contentType), ("contentEncoding", m.contentEncoding), ("contentDisposition", m.contentDisposition),
            ("contentLanguage", m.contentLanguage), ("cacheControl", m.cacheControl), ("expires", m.expires), ("storageClass", m.storageClass),
        ] {
            if let value { o[name] = .string(value) }
        }
        if !m.user.isEmpty { o["user"] = .array(m.user.map { [.string($0.name), .string($0.value)] }) }
        if let c = m.checksum { o["checksum"] = checksum(c) }
    }

    static func checksum(_ c: ObjectChecksum) -> JSONValue {
        ["algorithm": .string(c.algorithm), "value": .string(c.value), "type": .string(c.type)]
    }

    static func checksum(from json: JSONValue?) -> ObjectChecksum? {
        guard let c = json, let algorithm = c["algorithm"]?.stringValue, let value = c["value"]?.stringValue else { return nil }
        return ObjectChecksum(algorithm: algorithm, value: value, type: c["type"]?.stringValue ?? "FULL_OBJECT")
    }

    static func metadata(from json: JSONValue) -> ObjectMetadata {
        var m = ObjectMetadata()
        m.contentType = json["contentType"]?.stringValue
        m.contentEncoding = json["contentEncoding"]?.stringValue
        m.contentDisposition = json["contentDisposition"]?.stringValue
        m.contentLanguage = json["contentLanguage"]?.stringValue
        m.cacheControl = json["cacheControl"]?.stringValue
        m.expires = json["expires"]?.stringValue
        m.storageClass = json["storageClass"]?.stringValue
        m.user = (json["user"]?.arrayValue ?? []).compactMap { pair in
            guard let name = pair[0]?.stringValue, let value = pair[1]?.stringValue else { return nil }
            return ObjectMetadata.UserMetadata(name: name, value: value)
        }
        m.checksum = checksum(from: json["checksum"])
        return m
    }

    static func object(from json: JSONValue, path: String) -> StoredObject? {
        guard let key = json["key"]?.stringValue, let size = json["size"]?.intValue, let etag = json["etag"]?.stringValue else { return nil }
        return StoredObject(
            key: key, size: size, etag: etag, lastModifiedMillis: Int64(json["lastModified"]?.intValue ?? 0), metadata: metadata(from: json),
            partsCount: json["partsCount"]?.intValue, body: .file(path))
    }
}
