import Durable
import Foundation
import JSONCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Descriptions as an Understudy before schema 5 kept them: `s3/<bucket>/bucket.json` beside
/// each bucket's `objects/`, and `objects/<hash>.json` beside each body, naming it (or, in the
/// first layout, naming none: the body was `<hash>`). Start-up moves them into the database in
/// one transaction, then deletes the files, so a data directory written by an older binary
/// reads the same; a crash between the two moves them again, to the same rows.
extension DiskStore {
    func moveFileDescriptionsIn() throws(ObjectStoreError) {
        var records: [(kind: StateDatabase.Kind, key: String, document: String)] = []
        var moved: [String] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted() where !name.hasPrefix(".") {
            guard let directory = try? bucketDirectory(name) else { continue }
            let bucketFile = directory + "/bucket.json"
            guard let data = FileManager.default.contents(atPath: bucketFile), let json = try? JSONParser.parse([UInt8](data)) else { continue }
            records.append((.buckets, name, Self.describe(Self.bucket(name: name, from: json)).jsonString))
            moved.append(bucketFile)
            let objects = directory + "/objects"
            for file in (try? FileManager.default.contentsOfDirectory(atPath: objects)) ?? [] where file.hasSuffix(".json") {
                moved.append(objects + "/" + file)
                guard let data = FileManager.default.contents(atPath: objects + "/" + file), var description = try? JSONParser.parse([UInt8](data)).objectValue,
                    let key = description["key"]?.stringValue
                else { continue }
                let body = description["body"]?.stringValue ?? String(file.dropLast(5))
                guard !body.contains("/"), access(objects + "/" + body, F_OK) == 0 else { continue }
                description["body"] = .string(body)
                records.append((.objects, Self.rowKey(bucket: name, key: key), JSONValue.object(description).jsonString))
            }
        }
        guard !moved.isEmpty else { return }
        do throws(SQLiteDatabase.Failure) { try database.put(records) } catch {
            throw .storage("cannot move the object descriptions under \(root) into \(database.database.path): \(error.description)")
        }
        for file in moved { unlink(file) }
    }
}
