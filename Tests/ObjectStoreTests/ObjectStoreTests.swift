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
}
