import AWSWire
import Foundation
import JSONCore
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects on disk under `<root>/s3/<bucket>/objects/`. Files are named by the SHA-256 of the
/// key, so a key (`../../etc/passwd` included) is only ever data, never a path.
///
/// An object is two files: its body, `<hash>.<version>`, a name no other write ever uses, and
/// its description, `<hash>.json`, which names the body. A write is acknowledged only after
/// both are on the disk (flushed, with their directory), and the description's atomic rename
/// is the one commit point: a crash before it leaves the previous object whole (its body is
/// only unlinked after), a crash after it leaves the new one whole. Before, the body was
/// renamed over the previous one's and the description written after: rapid overwrites and a
/// `kill -9` left HEAD and ListObjectsV2 on the old size and ETag while GET read the new body.
/// The flushes are nearly all a PUT under `--data-dir` costs (Benchmarks/durability.sh): a
/// power loss then takes back nothing that was acknowledged either.
/// Start-up removes what a crash can leave behind: staged bodies, and bodies no description
/// names.
final class DiskStore: Sendable {
    let root: String
    let staging: String
    private let counter = Locked<UInt64>(0)

    init(root: String) throws(ObjectStoreError) {
        self.root = (root as NSString).standardizingPath + "/s3"
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
        let description: JSONValue = [
            "owner": .string(info.ownerAccount), "region": .string(info.region), "created": JSONValue(Int(info.creationMillis)),
        ]
        do {
            try FileManager.default.createDirectory(atPath: directory + "/objects", withIntermediateDirectories: true)
            try Data(description.jsonBytes).write(to: URL(fileURLWithPath: directory + "/bucket.json"), options: .atomic)
        } catch {
            throw .storage("cannot write bucket \(info.name): \(error.localizedDescription)")
        }
    }

    func removeBucket(_ name: String, force: Bool = false) throws(ObjectStoreError) {
        let directory = try bucketDirectory(name)
        do { try FileManager.default.removeItem(atPath: directory) } catch {
            if !force { throw .storage("cannot remove bucket \(name): \(error.localizedDescription)") }
        }
    }

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

    /// An object written to the disk but not yet current: its body, staged, and its description,
    /// staged too, naming the body by the name it will have in the bucket. Both are flushed
    /// before the store's lock is taken, so the lock is held for two renames, never for a flush
    /// (a PUT's flushes under it held up every other PUT, GET and listing in the meantime).
    struct StagedObject: Sendable {
        let body: String
        let bodyTarget: String
        let description: String
        let descriptionTarget: String
        let directory: String
    }

    /// Writes `body` and the description of `object` to staging files, both on the disk when
    /// this returns.
    func stage(_ body: [UInt8], as object: StoredObject, bucket: String) throws(ObjectStoreError) -> StagedObject {
        let directory = try bucketDirectory(bucket) + "/objects"
        let staged = try stage(body)
        let hash = Digest.sha256Hex(Array(object.key.utf8))
        let name = hash + "." + (staged.split(separator: "/").last.map(String.init) ?? uniqueName())
        var description = Self.describe(object).objectValue ?? JSONObject()
        description["body"] = .string(name)
        let temporary = staging + "/" + uniqueName() + ".json"
        guard Self.writeFile(JSONValue.object(description).jsonBytes, to: temporary, sync: true) else {
            unlink(temporary)
            unlink(staged)
            throw .storage("cannot write the description of \(object.key)")
        }
        return StagedObject(
            body: staged, bodyTarget: directory + "/" + name, description: temporary,
            descriptionTarget: directory + "/" + hash + ".json", directory: directory)
    }

    /// Makes a staged object current (called under the store's lock, so commits to one key
    /// land in the order the store records them): moves its body into the bucket under its
    /// own name, then renames its description over the previous one, the commit point, then
    /// lets go of the body it replaces (`previous`). The caller flushes the directory
    /// (`syncDirectory`) before it acknowledges the write.
    func commit(_ staged: StagedObject, replacing previous: String?) throws(ObjectStoreError) -> String {
        guard rename(staged.body, staged.bodyTarget) == 0 else {
            discard(staged)
            throw .storage("cannot move an object into \(staged.directory)")
        }
        guard rename(staged.description, staged.descriptionTarget) == 0 else {
            unlink(staged.description)
            unlink(staged.bodyTarget)
            throw .storage("cannot write the description of an object in \(staged.directory)")
        }
        if let previous, previous != staged.bodyTarget { unlink(previous) }
        return staged.bodyTarget
    }

    /// Drops a staged object that will not be committed.
    func discard(_ staged: StagedObject) {
        unlink(staged.body)
        unlink(staged.description)
    }

    /// Drops a staged body that will not be committed, or a part body no longer named.
    func discard(_ staged: String) { unlink(staged) }

    /// Removes an object: its description first (the commit point), then its body.
    func remove(_ path: String) {
        unlink(Self.descriptionPath(ofBody: path))
        unlink(path)
    }

    /// `<hash>.json` beside a body `<hash>.<version>` (or a body of the earlier layout, `<hash>`).
    static func descriptionPath(ofBody path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path + ".json" }
        let name = path[path.index(after: slash)...]
        let hash = name.firstIndex(of: ".").map { name[..<$0] } ?? name
        return path[...slash] + hash + ".json"
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

    /// Every bucket and object description found under the root.
    func loadBuckets() throws(ObjectStoreError) -> [BucketContents] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var buckets: [BucketContents] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let directory = try? bucketDirectory(name),
                let data = FileManager.default.contents(atPath: directory + "/bucket.json"),
                let description = try? JSONParser.parse([UInt8](data))
            else { continue }
            var contents = BucketContents(
                info: BucketInfo(
                    name: name, ownerAccount: description["owner"]?.stringValue ?? "000000000000",
                    region: description["region"]?.stringValue ?? "us-east-1",
                    creationMillis: Int64(description["created"]?.intValue ?? 0)))
            let objectDirectory = directory + "/objects"
            let files = (try? FileManager.default.contentsOfDirectory(atPath: objectDirectory)) ?? []
            var named = Set<String>()
            for file in files where file.hasSuffix(".json") {
                guard let data = FileManager.default.contents(atPath: objectDirectory + "/" + file), let json = try? JSONParser.parse([UInt8](data)) else {
                    continue
                }
                // A description of the earlier layout names no body: it is `<hash>` beside it.
                let body = json["body"]?.stringValue ?? String(file.dropLast(5))
                guard !body.contains("/"), FileManager.default.fileExists(atPath: objectDirectory + "/" + body),
                    let object = Self.object(from: json, path: objectDirectory + "/" + body)
                else { continue }
                named.insert(body)
                contents.insert(object)
            }
            // Bodies no description names: a crash came between a body's rename and its
            // description's, or before a replaced body was unlinked.
            for file in files where !file.hasSuffix(".json") && !named.contains(file) { unlink(objectDirectory + "/" + file) }
            buckets.append(contents)
        }
        return buckets
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
