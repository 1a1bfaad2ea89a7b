import AWSWire
import Foundation
import ObjectStore
import XCTest

/// A data directory written before schema 5 described buckets and objects in JSON files beside
/// the bodies. Start-up moves them into the database: the objects read the same, the files are
/// gone, and a body no description named is removed.
final class FileDescriptionMoveTests: XCTestCase {
    func testDescriptionsInFilesMoveIntoTheDatabase() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("file-descriptions-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let objects = root + "/s3/old/objects"
        try FileManager.default.createDirectory(atPath: objects, withIntermediateDirectories: true)
        try Data(#"{"owner":"111122223333","region":"eu-west-1","created":1700000000000}"#.utf8).write(to: URL(fileURLWithPath: root + "/s3/old/bucket.json"))
        // The second layout: the description names its body.
        let named = Digest.sha256Hex("docs/a.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: "\(objects)/\(named).17-1-1"))
        try Data(
            #"{"key":"docs/a.txt","size":5,"etag":"\"5d41402abc4b2a76b9719d911017c592\"","lastModified":1700000001000,"contentType":"text/plain","user":[["k","v"]],"body":"\#(named).17-1-1"}"#
                .utf8
        ).write(to: URL(fileURLWithPath: "\(objects)/\(named).json"))
        // The first layout: the body is `<hash>`, and the description does not name it.
        let first = Digest.sha256Hex("b")
        try Data([1, 2]).write(to: URL(fileURLWithPath: "\(objects)/\(first)"))
        try Data(#"{"key":"b","size":2,"etag":"\"e\"","lastModified":1700000002000}"#.utf8).write(to: URL(fileURLWithPath: "\(objects)/\(first).json"))
        // A body no description names: a crash came before its description was written.
        try Data([0]).write(to: URL(fileURLWithPath: "\(objects)/\(named).99-1-1"))

        do {
            let store = try ObjectStore(dataDirectory: root, now: { 1_700_000_000_000 })
            XCTAssertEqual(try store.bucket("old").region, "eu-west-1")
            XCTAssertEqual(try store.bucket("old").ownerAccount, "111122223333")
            let (object, body) = try store.get(bucket: "old", key: "docs/a.txt")
            XCTAssertEqual(body, Array("hello".utf8))
            XCTAssertEqual(object.metadata.contentType, "text/plain")
            XCTAssertEqual(object.metadata.user, [.init(name: "k", value: "v")])
            XCTAssertEqual(try store.get(bucket: "old", key: "b").1, [1, 2])
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: objects).sorted()
        XCTAssertEqual(files, ["\(first)", "\(named).17-1-1"].sorted())
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/s3/old/bucket.json"))
        // The next start reads them from the database alone.
        let again = try ObjectStore(dataDirectory: root, now: { 1_700_000_000_000 })
        XCTAssertEqual(try again.list(bucket: "old", prefix: "", delimiter: nil, startAfter: nil, maxKeys: 10).objects.map(\.key), ["b", "docs/a.txt"])
        XCTAssertEqual(try again.head(bucket: "old", key: "docs/a.txt").lastModifiedMillis, 1_700_000_001_000)
    }

    /// A row whose body is gone (a power loss kept the commit but not the rename) is dropped
    /// rather than listed and unreadable; a bucket directory with no row is removed.
    func testRowsWithoutBodiesAndDirectoriesWithoutRowsAreDropped() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            let store = try ObjectStore(dataDirectory: root, now: { 1_700_000_000_000 })
            try store.createBucket("kept", account: "1", region: "us-east-1")
            try store.put(bucket: "kept", key: "lost", body: [1], metadata: ObjectMetadata())
            try store.put(bucket: "kept", key: "whole", body: [2], metadata: ObjectMetadata())
        }
        let objects = root + "/s3/kept/objects"
        let lost = Digest.sha256Hex("lost")
        for file in try FileManager.default.contentsOfDirectory(atPath: objects) where file.hasPrefix(lost) {
            try FileManager.default.removeItem(atPath: objects + "/" + file)
        }
        try FileManager.default.createDirectory(atPath: root + "/s3/gone/objects", withIntermediateDirectories: true)
        let store = try ObjectStore(dataDirectory: root, now: { 1_700_000_000_000 })
        XCTAssertEqual(try store.list(bucket: "kept", prefix: "", delimiter: nil, startAfter: nil, maxKeys: 10).objects.map(\.key), ["whole"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/s3/gone"))
        XCTAssertThrowsError(try store.bucket("gone"))
    }
}
