import AWSWire
import Foundation
import JSONCore
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects on disk under `<root>/s3/<bucket>/`. A file is named by the SHA-256 of its key, so
/// a key (`../../etc/passwd` included) is only ever data, never a path. Bodies are written to
/// a staging file first and renamed into place, so a crash never leaves half an object.
final class DiskStore: Sendable {
    let root: String
    private let staging: String
    private let counter = Locked<UInt64>(0)

    init(root: String) throws(ObjectStoreError) {
        self.root = (root as NSString).standardizingPath + "/s3"
        staging = self.root + "/.staging"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw .storage("cannot create the data directory \(self.root): \(error.localizedDescription)")
        }
    }

    /// Bucket names reach the file system; the front end validates them, and this refuses
    /// anything that could still name another directory.
    private func bucketDirectory(_ name: String) throws(ObjectStoreError) -> String {
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

    /// Writes a body to a staging file and returns its path.
    func stage(_ body: [UInt8]) throws(ObjectStoreError) -> String {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        let path = "\(staging)/\(getpid())-\(number)"
        guard FileManager.default.createFile(atPath: path, contents: Data(body)) else {
            throw .storage("cannot write to \(staging)")
        }
        return path
    }

    /// Moves a staged body into the bucket and writes its description beside it.
    func commit(_ staged: String, object: StoredObject, bucket: String) throws(ObjectStoreError) -> String {
        let base = try bucketDirectory(bucket) + "/objects/" + Digest.sha256Hex(Array(object.key.utf8))
        guard rename(staged, base) == 0 else {
            unlink(staged)
            throw .storage("cannot move an object into \(bucket)")
        }
        do {
            try Data(Self.describe(object).jsonBytes).write(to: URL(fileURLWithPath: base + ".json"), options: .atomic)
        } catch {
            throw .storage("cannot write the description of \(object.key): \(error.localizedDescription)")
        }
        return base
    }

    /// Drops a staged body that will not be committed.
    func discard(_ staged: String) { unlink(staged) }

    func remove(_ path: String) {
        unlink(path)
        unlink(path + ".json")
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
            for file in (try? FileManager.default.contentsOfDirectory(atPath: objectDirectory)) ?? [] where file.hasSuffix(".json") {
                let base = objectDirectory + "/" + file.dropLast(5)
                guard let data = FileManager.default.contents(atPath: objectDirectory + "/" + file),
                    let json = try? JSONParser.parse([UInt8](data)), let object = Self.object(from: json, path: base)
                else { continue }
                contents.insert(object)
            }
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
        let m = object.metadata
        for (name, value) in [
            ("contentType", m.contentType), ("contentEncoding", m.contentEncoding), ("contentDisposition", m.contentDisposition),
            ("contentLanguage", m.contentLanguage), ("cacheControl", m.cacheControl), ("expires", m.expires), ("storageClass", m.storageClass),
        ] {
            if let value { o[name] = .string(value) }
        }
        if !m.user.isEmpty { o["user"] = .array(m.user.map { [.string($0.name), .string($0.value)] }) }
        if let c = m.checksum { o["checksum"] = ["algorithm": .string(c.algorithm), "value": .string(c.value), "type": .string(c.type)] }
        return .object(o)
    }

    static func object(from json: JSONValue, path: String) -> StoredObject? {
        guard let key = json["key"]?.stringValue, let size = json["size"]?.intValue, let etag = json["etag"]?.stringValue else { return nil }
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
        if let c = json["checksum"], let algorithm = c["algorithm"]?.stringValue, let value = c["value"]?.stringValue {
            m.checksum = ObjectChecksum(algorithm: algorithm, value: value, type: c["type"]?.stringValue ?? "FULL_OBJECT")
        }
        return StoredObject(
            key: key, size: size, etag: etag, lastModifiedMillis: Int64(json["lastModified"]?.intValue ?? 0), metadata: m,
            partsCount: json["partsCount"]?.intValue, body: .file(path))
    }
}
