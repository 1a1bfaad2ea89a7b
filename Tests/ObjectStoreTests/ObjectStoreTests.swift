import AWSWire
import Foundation
import ObjectStore
import XCTest

final class ObjectStoreTests: XCTestCase {
    func makeStore(_ directory: String? = nil) throws -> ObjectStore {
        try ObjectStore(dataDirectory: directory, now: { 1_700_000_000_000 })
    }

    func testListingOrderPrefixesAndPages() throws {
        let store = try makeStore()
        try store.createBucket("b", account: "1", region: "us-east-1")
        let keys = ["a/1", "a/2", "a/b/3", "b/4", "c", "z", "é", "Z"]
        for key in keys { try store.put(bucket: "b", key: key, body: [1], metadata: ObjectMetadata()) }
        // UTF-8 byte order: uppercase before lowercase, "é" (0xC3…) last.
        XCTAssertEqual(try store.list(bucket: "b", prefix: "", delimiter: nil, startAfter: nil, maxKeys: 100).objects.map(\.key),
                       ["Z", "a/1", "a/2", "a/b/3", "b/4", "c", "z", "é"])
        let top = try store.list(bucket: "b", prefix: "", delimiter: "/", startAfter: nil, maxKeys: 100)
        XCTAssertEqual(top.objects.map(\.key), ["Z", "c", "z", "é"])
        XCTAssertEqual(top.commonPrefixes, ["a/", "b/"])
        // Keys and prefixes share max-keys; the next page starts after the last one returned.
        let first = try store.list(bucket: "b", prefix: "", delimiter: "/", startAfter: nil, maxKeys: 2)
        XCTAssertEqual(first.objects.map(\.key) + first.commonPrefixes, ["Z", "a/"])
        XCTAssertTrue(first.isTruncated)
        XCTAssertEqual(first.lastReturned, "a/")
        let second = try store.list(bucket: "b", prefix: "", delimiter: "/", startAfter: first.lastReturned, maxKeys: 2)
        XCTAssertEqual(second.commonPrefixes, ["b/"])
        XCTAssertEqual(second.objects.map(\.key), ["c"])
        let nested = try store.list(bucket: "b", prefix: "a/", delimiter: "/", startAfter: nil, maxKeys: 10)
        XCTAssertEqual(nested.objects.map(\.key), ["a/1", "a/2"])
        XCTAssertEqual(nested.commonPrefixes, ["a/b/"])
        try store.delete(bucket: "b", key: "a/1")
        XCTAssertEqual(try store.list(bucket: "b", prefix: "a/", delimiter: nil, startAfter: nil, maxKeys: 10).objects.map(\.key), ["a/2", "a/b/3"])
    }

    func testBucketRules() throws {
        let store = try makeStore()
        try store.createBucket("b", account: "1", region: "us-east-1")
        XCTAssertNoThrow(try store.createBucket("b", account: "1", region: "us-east-1"))
        XCTAssertThrowsError(try store.createBucket("b", account: "2", region: "us-east-1")) { XCTAssertEqual($0 as? ObjectStoreError, .bucketAlreadyExists("b")) }
        try store.createBucket("w", account: "1", region: "eu-west-1")
        XCTAssertThrowsError(try store.createBucket("w", account: "1", region: "eu-west-1")) { XCTAssertEqual($0 as? ObjectStoreError, .bucketAlreadyOwnedByYou("w")) }
        try store.put(bucket: "b", key: "k", body: [], metadata: ObjectMetadata())
        XCTAssertThrowsError(try store.deleteBucket("b")) { XCTAssertEqual($0 as? ObjectStoreError, .bucketNotEmpty("b")) }
        XCTAssertEqual(store.buckets(ownedBy: "1").map(\.name), ["b", "w"])
        XCTAssertThrowsError(try store.head(bucket: "none", key: "k")) { XCTAssertEqual($0 as? ObjectStoreError, .noSuchBucket("none")) }
    }

    func testMultipartAssemblyAndRules() throws {
        let store = try makeStore()
        try store.createBucket("b", account: "1", region: "us-east-1")
        let upload = try store.createUpload(bucket: "b", key: "big", metadata: ObjectMetadata())
        let a = [UInt8](repeating: 1, count: MultipartUpload.minimumPartSize), b: [UInt8] = [2, 3]
        let p1 = try store.uploadPart(upload.uploadId, bucket: "b", key: "big", number: 1, body: a, checksum: nil)
        let p2 = try store.uploadPart(upload.uploadId, bucket: "b", key: "big", number: 2, body: b, checksum: nil)
        XCTAssertThrowsError(try store.completeUpload(upload.uploadId, bucket: "b", key: "big", parts: [(2, p2.etag), (1, p1.etag)])) {
            XCTAssertEqual($0 as? ObjectStoreError, .invalidPartOrder)
        }
        XCTAssertThrowsError(try store.completeUpload(upload.uploadId, bucket: "b", key: "big", parts: [(1, "\"beef\"")])) {
            XCTAssertEqual($0 as? ObjectStoreError, .invalidPart(1))
        }
        let object = try store.completeUpload(upload.uploadId, bucket: "b", key: "big", parts: [(1, p1.etag), (2, p2.etag.replacingOccurrences(of: "\"", with: ""))])
        XCTAssertEqual(object.etag, "\"\(Digest.hex(Digest.md5(Digest.md5(a) + Digest.md5(b))))-2\"")
        XCTAssertEqual(try store.get(bucket: "b", key: "big").1, a + b)
        XCTAssertThrowsError(try store.upload(upload.uploadId, bucket: "b", key: "big")) { XCTAssertEqual($0 as? ObjectStoreError, .noSuchUpload(upload.uploadId)) }
        let small = try store.createUpload(bucket: "b", key: "small", metadata: ObjectMetadata())
        let s1 = try store.uploadPart(small.uploadId, bucket: "b", key: "small", number: 1, body: [1], checksum: nil)
        let s2 = try store.uploadPart(small.uploadId, bucket: "b", key: "small", number: 2, body: [2], checksum: nil)
        XCTAssertThrowsError(try store.completeUpload(small.uploadId, bucket: "b", key: "small", parts: [(1, s1.etag), (2, s2.etag)])) {
            XCTAssertEqual($0 as? ObjectStoreError, .entityTooSmall)
        }
    }

    /// On disk, a key is only ever a digest: `../` cannot leave the data directory, and
    /// everything comes back after a restart.
    func testDiskStoreConfinesKeysAndReloads() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("objectstore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sandbox = root.appendingPathComponent("data").path
        do {
            let store = try makeStore(sandbox)
            try store.createBucket("b", account: "1", region: "us-east-1")
            var metadata = ObjectMetadata()
            metadata.contentType = "text/plain"
            metadata.user = [.init(name: "k", value: "v")]
            try store.put(bucket: "b", key: "../../outside.txt", body: Array("secret".utf8), metadata: metadata)
            try store.put(bucket: "b", key: "dir/file", body: [1, 2, 3], metadata: ObjectMetadata())
            XCTAssertEqual(try store.get(bucket: "b", key: "dir/file", range: 1...2).1, [2, 3])
            XCTAssertThrowsError(try store.createBucket("../evil", account: "1", region: "us-east-1"))
        }
        let everything = FileManager.default.enumerator(atPath: root.path)!.allObjects as! [String]
        XCTAssertTrue(everything.allSatisfy { $0.hasPrefix("data") }, "\(everything)")
        XCTAssertFalse(everything.contains { $0.contains("outside") })
        let reopened = try makeStore(sandbox)
        let (object, bytes) = try reopened.get(bucket: "b", key: "../../outside.txt")
        XCTAssertEqual(bytes, Array("secret".utf8))
        XCTAssertEqual(object.metadata.contentType, "text/plain")
        XCTAssertEqual(object.metadata.user, [.init(name: "k", value: "v")])
        XCTAssertEqual(try reopened.list(bucket: "b", prefix: "", delimiter: nil, startAfter: nil, maxKeys: 10).objects.map(\.key), ["../../outside.txt", "dir/file"])
        try reopened.delete(bucket: "b", key: "dir/file")
        XCTAssertThrowsError(try makeStore(sandbox).head(bucket: "b", key: "dir/file"))
    }

    /// An open upload under a data directory outlives the store: its parts (bodies, ETags,
    /// checksums), key and headers come back, more parts can be added, and it completes into
    /// the object an uninterrupted upload gives. Start-up removes part bodies no upload names;
    /// abort and completion leave no file behind.
    func testOpenUploadsSurviveARestartAndOrphansAreRemoved() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("uploads-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = [UInt8](repeating: 7, count: MultipartUpload.minimumPartSize), b = [UInt8](repeating: 8, count: MultipartUpload.minimumPartSize)
        let c: [UInt8] = [9, 9]
        var metadata = ObjectMetadata()
        metadata.contentType = "application/x-parts"
        metadata.user = [.init(name: "origin", value: "test")]
        metadata.checksum = ObjectChecksum(algorithm: "CRC32", value: "", type: "COMPOSITE")
        func crc(_ bytes: [UInt8]) -> ObjectChecksum {
            let v = Digest.crc32(bytes)
            return ObjectChecksum(algorithm: "CRC32", value: Data([UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]).base64EncodedString())
        }
        let (id, aborted): (String, String)
        var etags: [String] = []
        do {
            let store = try makeStore(root)
            try store.createBucket("b", account: "1", region: "us-east-1")
            id = try store.createUpload(bucket: "b", key: "big/file", metadata: metadata).uploadId
            etags.append(try store.uploadPart(id, bucket: "b", key: "big/file", number: 1, body: [0], checksum: crc([0])).etag)
            // A part sent again replaces the first body.
            etags[0] = try store.uploadPart(id, bucket: "b", key: "big/file", number: 1, body: a, checksum: crc(a)).etag
            etags.append(try store.uploadPart(id, bucket: "b", key: "big/file", number: 2, body: b, checksum: crc(b)).etag)
            aborted = try store.createUpload(bucket: "b", key: "gone", metadata: ObjectMetadata()).uploadId
            _ = try store.uploadPart(aborted, bucket: "b", key: "gone", number: 1, body: [1], checksum: nil)
        }
        let uploads = root + "/s3/b/uploads"
        XCTAssertTrue(FileManager.default.createFile(atPath: uploads + "/\(id).3.orphan", contents: Data([1])), "a part a crash left unnamed")
        let store = try makeStore(root)
        XCTAssertFalse(FileManager.default.fileExists(atPath: uploads + "/\(id).3.orphan"))
        XCTAssertEqual(try store.uploads(bucket: "b").map(\.key), ["big/file", "gone"])
        let restored = try store.upload(id, bucket: "b", key: "big/file")
        XCTAssertEqual(restored.metadata, metadata)
        XCTAssertEqual(restored.parts.keys.sorted(), [1, 2])
        XCTAssertEqual(restored.parts[1]?.etag, etags[0])
        XCTAssertEqual(restored.parts[2]?.size, b.count)
        XCTAssertEqual(restored.parts[2]?.checksum, crc(b))
        try store.abortUpload(aborted, bucket: "b", key: "gone")
        XCTAssertNotEqual(try store.createUpload(bucket: "b", key: "big/file", metadata: ObjectMetadata()).uploadId, id, "an open upload's id is not given again")
        etags.append(try store.uploadPart(id, bucket: "b", key: "big/file", number: 3, body: c, checksum: crc(c)).etag)
        let object = try store.completeUpload(id, bucket: "b", key: "big/file", parts: [(1, etags[0]), (2, etags[1]), (3, etags[2])])
        XCTAssertEqual(object.etag, "\"\(Digest.hex(Digest.md5(Digest.md5(a) + Digest.md5(b) + Digest.md5(c))))-3\"")
        XCTAssertEqual(object.metadata.checksum?.value.hasSuffix("-3"), true)
        let (reread, bytes) = try makeStore(root).get(bucket: "b", key: "big/file")
        XCTAssertEqual(bytes, a + b + c)
        XCTAssertEqual(reread.etag, object.etag)
        XCTAssertEqual(reread.metadata.contentType, "application/x-parts")
        let left = try FileManager.default.contentsOfDirectory(atPath: uploads).filter { !$0.hasSuffix(".json") }
        XCTAssertEqual(left, [], "completion and abort remove their parts")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: uploads).count, 1, "only the upload opened after the restart")
    }
}
