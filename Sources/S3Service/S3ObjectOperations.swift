import AWSWire
import ObjectStore
import ServiceKit

/// Object operations: PutObject, GetObject (Range, conditions), HeadObject, DeleteObject,
/// CopyObject, DeleteObjects.
extension S3Call {
    func putObject() throws(AWSServiceError) -> AWSResponse {
        var payload = try S3Payload(request)
        let clientChecksum = payload.checksum
        payload.applyDefaultChecksum()
        var metadata = ObjectMetadata(headers: request)
        metadata.checksum = payload.checksum
        let object = try stored { () throws(ObjectStoreError) in try store.put(bucket: bucket, key: address.key, body: payload.body, metadata: metadata) }
        var headers: [(name: String, value: String)] = [("ETag", object.etag), ("x-amz-server-side-encryption", "AES256")]
        if let checksum = clientChecksum {
            headers.append((ChecksumAlgorithm(rawValue: checksum.algorithm)!.headerName, checksum.value))
            headers.append(("x-amz-checksum-type", checksum.type))
        }
        return empty(headers: headers)
    }

    func getObject(includeBody: Bool) throws(AWSServiceError) -> AWSResponse {
        let object = try stored { () throws(ObjectStoreError) in try store.head(bucket: bucket, key: address.key) }
        if let notModified = try preconditions(object) { return notModified }
        var headers: [(name: String, value: String)] = [
            ("Last-Modified", AWSTimestamp.httpDate(epochSeconds: object.lastModifiedMillis / 1000)), ("ETag", object.etag),
            ("x-amz-server-side-encryption", "AES256"), ("Accept-Ranges", "bytes"),
        ]
        headers += object.metadata.responseHeaders
        var range: ClosedRange<Int>?
        if let header = request.header("Range") {
            range = try Self.byteRange(header, size: object.size)
        }
        if range == nil, request.header("x-amz-checksum-mode")?.uppercased() == "ENABLED", let checksum = object.metadata.checksum,
            let algorithm = ChecksumAlgorithm(rawValue: checksum.algorithm)
        {
            headers.append((algorithm.headerName, checksum.value))
            headers.append(("x-amz-checksum-type", checksum.type))
        }
        if let parts = object.partsCount, has("partNumber") { headers.append(("x-amz-mp-parts-count", String(parts))) }
        var status = 200
        var body: [UInt8] = []
        if let range {
            status = 206
            headers.append(("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(object.size)"))
            headers.append(("Content-Length", String(range.count)))
        } else {
            headers.append(("Content-Length", String(object.size)))
        }
        if includeBody { body = try stored { () throws(ObjectStoreError) in try store.bytes(of: object, range: range) } }
        return AWSResponse(status: status, headers: [("x-amz-request-id", request.requestId)] + headers, body: body)
    }

    /// If-Match / If-None-Match / If-(Un)Modified-Since, in S3's order of precedence.
    func preconditions(_ object: StoredObject) throws(AWSServiceError) -> AWSResponse? {
        let modifiedSeconds = object.lastModifiedMillis / 1000
        func date(_ name: String) -> Int64? {
            request.header(name).flatMap(AWSTimestamp.amzDate(fromHTTPDate:)).flatMap(AWSTimestamp.epochSeconds(amzDate:))
        }
        /// `*` or a comma-separated list of ETags, quoted or not.
        func names(_ list: String) -> Bool {
            list == "*" || list.split(separator: ",").contains { MultipartUpload.sameETag(String($0.trimmedSpaces), object.etag) }
        }
        func failed(_ condition: String) -> AWSServiceError {
            S3Errors.error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", status: 412, [("Condition", condition)])
        }
        if let match = request.header("If-Match") {
            guard names(match) else { throw failed("If-Match") }
        } else if let since = date("If-Unmodified-Since"), modifiedSeconds > since {
            throw failed("If-Unmodified-Since")
        }
        let notModified: Bool
        if let noneMatch = request.header("If-None-Match") {
            notModified = names(noneMatch)
        } else {
            notModified = date("If-Modified-Since").map { modifiedSeconds <= $0 } ?? false
        }
        guard notModified else { return nil }
        return empty(status: 304, headers: [("ETag", object.etag), ("Last-Modified", AWSTimestamp.httpDate(epochSeconds: modifiedSeconds))])
    }

    /// `bytes=a-b`, `bytes=a-`, `bytes=-n`. Forms S3 ignores (several ranges, other units,
    /// garbage) give the whole object; a range starting past the end is InvalidRange (416).
    static func byteRange(_ header: String, size: Int) throws(AWSServiceError) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        let unsatisfiable = S3Errors.error(
            "InvalidRange", "The requested range is not satisfiable", status: 416, [("RangeRequested", header), ("ActualObjectSize", String(size))])
        if first.isEmpty {
            guard let suffix = Int(last) else { return nil }
            guard suffix > 0, size > 0 else { throw unsatisfiable }
            return max(0, size - suffix)...(size - 1)
        }
        guard let start = Int(first) else { return nil }
        let end = last.isEmpty ? size - 1 : (Int(last) ?? -1)
        guard end >= start || last.isEmpty else { return nil }
        guard start < size else { throw unsatisfiable }
        return start...min(end, size - 1)
    }

    func deleteObject() throws(AWSServiceError) -> AWSResponse {
        try stored { () throws(ObjectStoreError) in try store.delete(bucket: bucket, key: address.key) }
        return empty(status: 204)
    }

    func copyObject() throws(AWSServiceError) -> AWSResponse {
        let source = try copySource()
        let replace = request.header("x-amz-metadata-directive")?.uppercased() == "REPLACE"
        if source.bucket == bucket, source.key == address.key, !replace, request.header("x-amz-storage-class") == nil {
            throw S3Errors.error(
                "InvalidRequest",
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
                status: 400)
        }
        let metadata = replace ? ObjectMetadata(headers: request) : nil
        let object = try stored { () throws(ObjectStoreError) in
            try store.copy(from: (source.bucket, source.key), to: (bucket, address.key), metadata: metadata)
        }
        var xml = XMLBuilder()
        xml.group("CopyObjectResult", namespace: XMLBuilder.s3Namespace) { xml in
            xml.element("LastModified", Self.timestamp(object.lastModifiedMillis))
            xml.element("ETag", object.etag)
            if let checksum = object.metadata.checksum, !checksum.value.contains("-") {
                xml.element("ChecksumType", checksum.type)
                xml.element("Checksum\(checksum.algorithm)", checksum.value)
            }
        }
        return self.xml(xml, headers: [("x-amz-server-side-encryption", "AES256")])
    }

    /// `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, maybe `?versionId=`.
    func copySource() throws(AWSServiceError) -> (bucket: String, key: String) {
        var raw = Substring(request.header("x-amz-copy-source") ?? "")
        if let question = raw.firstIndex(of: "?") { raw = raw[..<question] }
        let decoded = URIEncoding.decode(raw)
        var text = Substring(decoded)
        if text.first == "/" { text = text.dropFirst() }
        guard let slash = text.firstIndex(of: "/"), slash != text.startIndex, text.index(after: slash) != text.endIndex else {
            throw S3Errors.invalidArgument("Invalid copy source object key", name: "x-amz-copy-source", value: String(raw))
        }
        return (String(text[..<slash]), String(text[text.index(after: slash)...]))
    }

    func deleteObjects() throws(AWSServiceError) -> AWSResponse {
        guard request.header("Content-MD5") != nil || request.headers.contains(where: { ChecksumAlgorithm(headerName: $0.name) != nil }) else {
            throw S3Errors.error("InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*", status: 400)
        }
        let document = try xmlDocument("Delete")
        let objects = document.children("Object")
        guard !objects.isEmpty, objects.count <= 1000 else { throw S3Errors.malformedXML }
        _ = try stored { () throws(ObjectStoreError) in try store.bucket(bucket) }
        let quiet = document.childText("Quiet") == "true"
        var xml = XMLBuilder()
        xml.group("DeleteResult", namespace: XMLBuilder.s3Namespace) { xml in
            for object in objects {
                guard let key = object.childText("Key") else { continue }
                do {
                    try store.delete(bucket: bucket, key: key)
                    if !quiet { xml.group("Deleted") { $0.element("Key", key) } }
                } catch {
                    xml.group("Error") { xml in
                        xml.element("Key", key)
                        xml.element("Code", "InternalError")
                        xml.element("Message", "We encountered an internal error. Please try again.")
                    }
                }
            }
        }
        return self.xml(xml)
    }
}
