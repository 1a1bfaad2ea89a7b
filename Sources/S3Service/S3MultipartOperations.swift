import AWSWire
import ObjectStore
import ServiceKit

/// Multipart uploads: Create, UploadPart, Complete, Abort, ListParts, ListMultipartUploads.
extension S3Call {
    func createMultipartUpload() throws(AWSServiceError) -> AWSResponse {
        var metadata = ObjectMetadata(headers: request)
        let algorithm = request.header("x-amz-checksum-algorithm").flatMap { ChecksumAlgorithm(rawValue: $0.uppercased()) }
        if let algorithm { metadata.checksum = ObjectChecksum(algorithm: algorithm.rawValue, value: "", type: "COMPOSITE") }
        let upload = try stored { () throws(ObjectStoreError) in try store.createUpload(bucket: bucket, key: address.key, metadata: metadata) }
        var xml = XMLBuilder()
        xml.group("InitiateMultipartUploadResult", namespace: XMLBuilder.s3Namespace) { xml in
            xml.element("Bucket", bucket)
            xml.element("Key", address.key)
            xml.element("UploadId", upload.uploadId)
        }
        var headers: [(name: String, value: String)] = [("x-amz-server-side-encryption", "AES256")]
        if let algorithm {
            headers.append(("x-amz-checksum-algorithm", algorithm.rawValue))
            headers.append(("x-amz-checksum-type", "COMPOSITE"))
        }
        return self.xml(xml, headers: headers)
    }

    func partNumber() throws(AWSServiceError) -> Int {
        let text = queryValue("partNumber") ?? ""
        guard let number = Int(text), (1...MultipartUpload.maximumPartNumber).contains(number) else {
            throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", name: "partNumber", value: text)
        }
        return number
    }

    func uploadPart() throws(AWSServiceError) -> AWSResponse {
        let number = try partNumber()
        let payload = try S3Payload(request)
        let uploadId = queryValue("uploadId") ?? ""
        let part = try stored { () throws(ObjectStoreError) in
            try store.uploadPart(uploadId, bucket: bucket, key: address.key, number: number, body: payload.body, checksum: payload.checksum)
        }
        var headers: [(name: String, value: String)] = [("ETag", part.etag), ("x-amz-server-side-encryption", "AES256")]
        if let checksum = payload.checksum, let algorithm = ChecksumAlgorithm(rawValue: checksum.algorithm) {
            headers.append((algorithm.headerName, checksum.value))
        }
        return empty(headers: headers)
    }

    func completeMultipartUpload() throws(AWSServiceError) -> AWSResponse {
        let uploadId = queryValue("uploadId") ?? ""
        let document = try xmlDocument("CompleteMultipartUpload")
        var parts: [(number: Int, etag: String)] = []
        for part in document.children("Part") {
            guard let number = part.childText("PartNumber").flatMap({ Int($0) }), let etag = part.childText("ETag") else { throw S3Errors.malformedXML }
            parts.append((number, etag))
        }
        guard !parts.isEmpty else {
            throw S3Errors.error("InvalidRequest", "You must specify at least one part", status: 400)
        }
        let object = try stored { () throws(ObjectStoreError) in try store.completeUpload(uploadId, bucket: bucket, key: address.key, parts: parts) }
        let host = request.header("Host") ?? "localhost:4566"
        var xml = XMLBuilder()
        xml.group("CompleteMultipartUploadResult", namespace: XMLBuilder.s3Namespace) { xml in
            xml.element("Location", "http://\(host)/\(bucket)/\(URIEncoding.encode(address.key, keepSlash: true))")
            xml.element("Bucket", bucket)
            xml.element("Key", address.key)
            xml.element("ETag", object.etag)
            if let checksum = object.metadata.checksum {
                xml.element("Checksum\(checksum.algorithm)", checksum.value)
                xml.element("ChecksumType", checksum.type)
            }
        }
        return self.xml(xml, headers: [("x-amz-server-side-encryption", "AES256")])
    }

    func abortMultipartUpload() throws(AWSServiceError) -> AWSResponse {
        let uploadId = queryValue("uploadId") ?? ""
        try stored { () throws(ObjectStoreError) in try store.abortUpload(uploadId, bucket: bucket, key: address.key) }
        return empty(status: 204)
    }

    func listParts() throws(AWSServiceError) -> AWSResponse {
        let uploadId = queryValue("uploadId") ?? ""
        let upload = try stored { () throws(ObjectStoreError) in try store.upload(uploadId, bucket: bucket, key: address.key) }
        var limit = 1000
        if let text = queryValue("max-parts") {
            guard let value = Int(text), value >= 0 else {
                throw S3Errors.invalidArgument("Provided max-parts not an integer or within integer range", name: "max-parts", value: text)
            }
            limit = min(value, 1000)
        }
        let marker = Int(queryValue("part-number-marker") ?? "") ?? 0
        let numbers = upload.parts.keys.sorted().filter { $0 > marker }
        let page = numbers.prefix(limit)
        var xml = XMLBuilder()
        xml.group("ListPartsResult", namespace: XMLBuilder.s3Namespace) { xml in
            xml.element("Bucket", bucket)
            xml.element("Key", address.key)
            xml.element("UploadId", uploadId)
            xml.element("PartNumberMarker", marker)
            if let last = page.last { xml.element("NextPartNumberMarker", last) }
            xml.element("MaxParts", limit)
            xml.element("IsTruncated", page.count < numbers.count)
            for number in page {
                let part = upload.parts[number]!
                xml.group("Part") { xml in
                    xml.element("PartNumber", number)
                    xml.element("LastModified", Self.timestamp(part.lastModifiedMillis))
                    xml.element("ETag", part.etag)
                    xml.element("Size", part.size)
                    if let checksum = part.checksum { xml.element("Checksum\(checksum.algorithm)", checksum.value) }
                }
            }
            xml.element("StorageClass", "STANDARD")
        }
        return self.xml(xml)
    }

    func listMultipartUploads() throws(AWSServiceError) -> AWSResponse {
        let uploads = try stored { () throws(ObjectStoreError) in try store.uploads(bucket: bucket) }
        let prefix = queryValue("prefix") ?? ""
        // As in the object listings: a key XML cannot carry exactly comes back exact encoded.
        let encodeURL = queryValue("encoding-type") == "url"
        if let encoding = queryValue("encoding-type"), encoding != "url" {
            throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", name: "encoding-type", value: encoding)
        }
        func encoded(_ s: String) -> String { encodeURL ? URIEncoding.encode(s, keepSlash: true) : s }
        let matching = uploads.filter { $0.key.hasPrefix(prefix) }
        var xml = XMLBuilder()
        xml.group("ListMultipartUploadsResult", namespace: XMLBuilder.s3Namespace) { xml in
            xml.element("Bucket", bucket)
            xml.element("KeyMarker", "")
            xml.element("UploadIdMarker", "")
            xml.element("Prefix", encoded(prefix))
            xml.element("MaxUploads", 1000)
            xml.element("IsTruncated", false)
            for upload in matching.prefix(1000) {
                xml.group("Upload") { xml in
                    xml.element("Key", encoded(upload.key))
                    xml.element("UploadId", upload.uploadId)
                    xml.element("StorageClass", "STANDARD")
                    xml.element("Initiated", Self.timestamp(upload.initiatedMillis))
                }
            }
            if encodeURL { xml.element("EncodingType", "url") }
        }
        return self.xml(xml)
    }
}
