import Foundation
import JSONCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Open multipart uploads on disk, under `<root>/s3/<bucket>/uploads/`, kept as objects are:
/// each part's body is a file of its own, `<uploadId>.<part>.<unique>`, staged and flushed
/// before it is moved in, and the upload's description, `<uploadId>.json` (key, headers,
/// checksum algorithm, and every part's number, ETag, size, checksum and body file), is
/// rewritten through a flushed temporary file and an atomic rename: that rename is the commit
/// point of CreateMultipartUpload and of each UploadPart, so an acknowledged part is on the
/// disk and a crash before the rename leaves the upload as it was. A body no description names
/// (a crash between the moves, or a replaced part not yet unlinked) is removed at start-up.
/// Parts stay out of `objects/`, so an upload is never mistaken for an object.
extension DiskStore {
    func uploadDirectory(_ bucket: String) throws(ObjectStoreError) -> String {
        try bucketDirectory(bucket) + "/uploads"
    }

    /// Upload ids are hex digits (`ObjectStore.uploadId`), but one read back from a description
    /// reaches the file system: anything else is refused.
    static func isUploadId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// Moves a staged part body into the upload's directory under a name of its own. It counts
    /// only once `writeUpload` commits a description that names it.
    func placePart(_ staged: String, uploadId: String, number: Int, bucket: String) throws(ObjectStoreError) -> String {
        let directory = try uploadDirectory(bucket)
        let path = "\(directory)/\(uploadId).\(number).\(staged.split(separator: "/").last.map(String.init) ?? uniqueName())"
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil, rename(staged, path) == 0
        else {
            unlink(staged)
            throw .storage("cannot move a part into \(bucket)")
        }
        return path
    }

    /// Commits the upload's description (and with it every part body it names).
    func writeUpload(_ upload: MultipartUpload) throws(ObjectStoreError) {
        guard Self.isUploadId(upload.uploadId) else { throw .storage("upload id '\(upload.uploadId)' cannot be stored") }
        let directory = try uploadDirectory(upload.bucket)
        let temporary = staging + "/" + uniqueName() + ".json"
        guard (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil,
            Self.writeFile(Self.describe(upload).jsonBytes, to: temporary, sync: true),
            rename(temporary, "\(directory)/\(upload.uploadId).json") == 0, Self.syncDirectory(directory)
        else {
            unlink(temporary)
            throw .storage("cannot write the upload \(upload.uploadId) of \(upload.key)")
        }
    }

    /// Forgets an upload: its description first (the commit point), then its part bodies.
    func removeUpload(_ upload: MultipartUpload) {
        guard Self.isUploadId(upload.uploadId), let directory = try? uploadDirectory(upload.bucket) else { return }
        unlink("\(directory)/\(upload.uploadId).json")
        _ = Self.syncDirectory(directory)
        for part in upload.parts.values {
            if case .file(let path) = part.body { unlink(path) }
        }
    }

    /// The bucket's open uploads; part bodies no description names are removed.
    func loadUploads(bucket: String) -> [MultipartUpload] {
        guard let directory = try? uploadDirectory(bucket) else { return [] }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var uploads: [MultipartUpload] = []
        var named = Set<String>()
        for file in files where file.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: directory + "/" + file), let json = try? JSONParser.parse([UInt8](data)),
                let upload = Self.upload(from: json, bucket: bucket, directory: directory), file == upload.uploadId + ".json"
            else { continue }
            for part in upload.parts.values {
                if case .file(let path) = part.body { named.insert(String(path.dropFirst(directory.count + 1))) }
            }
            uploads.append(upload)
        }
        for file in files where !file.hasSuffix(".json") && !named.contains(file) { unlink(directory + "/" + file) }
        return uploads
    }

    static func describe(_ upload: MultipartUpload) -> JSONValue {
        var o = JSONObject()
        o["uploadId"] = .string(upload.uploadId)
        o["key"] = .string(upload.key)
        o["initiated"] = JSONValue(Int(upload.initiatedMillis))
        describe(upload.metadata, into: &o)
        o["parts"] = .array(
            upload.parts.keys.sorted().compactMap { number in
                guard let part = upload.parts[number], case .file(let path) = part.body else { return nil }
                var p = JSONObject()
                p["number"] = JSONValue(number)
                p["etag"] = .string(part.etag)
                p["size"] = JSONValue(part.size)
                p["lastModified"] = JSONValue(Int(part.lastModifiedMillis))
                if let checksum = part.checksum { p["checksum"] = Self.checksum(checksum) }
                p["body"] = .string(String(path.split(separator: "/").last ?? ""))
                return .object(p)
            })
        return .object(o)
    }

    /// An upload read back; a part whose body is missing is left out, as if never uploaded.
    static func upload(from json: JSONValue, bucket: String, directory: String) -> MultipartUpload? {
        guard let id = json["uploadId"]?.stringValue, isUploadId(id), let key = json["key"]?.stringValue else { return nil }
        var upload = MultipartUpload(
            uploadId: id, bucket: bucket, key: key, metadata: metadata(from: json), initiatedMillis: Int64(json["initiated"]?.intValue ?? 0))
        for item in json["parts"]?.arrayValue ?? [] {
            guard let number = item["number"]?.intValue, let etag = item["etag"]?.stringValue, let size = item["size"]?.intValue,
                let body = item["body"]?.stringValue, !body.contains("/"), body.hasPrefix(id + "."),
                FileManager.default.fileExists(atPath: directory + "/" + body)
            else { continue }
            upload.parts[number] = MultipartUpload.UploadedPart(
                number: number, etag: etag, size: size, lastModifiedMillis: Int64(item["lastModified"]?.intValue ?? 0),
                checksum: checksum(from: item["checksum"]), body: .file(directory + "/" + body))
        }
        return upload
    }
}
