import AWSWire
import JSONCore
import ObjectStore
import ServiceKit

/// ListObjectsV2 and ListObjects (v1): prefix, delimiter, pagination, `encoding-type=url`
/// (which botocore always asks for and decodes).
extension S3Call {
    func listObjects(version: Int) throws(AWSServiceError) -> AWSResponse {
        let prefix = queryValue("prefix") ?? ""
        let delimiter = queryValue("delimiter")
        var maxKeys = 1000
        if let text = queryValue("max-keys") {
            guard let value = Int(text), value >= 0 else {
                throw S3Errors.invalidArgument("Provided max-keys not an integer or within integer range", name: "max-keys", value: text)
            }
            maxKeys = min(value, 1000)
        }
        let encodeURL = queryValue("encoding-type") == "url"
        if let encoding = queryValue("encoding-type"), encoding != "url" {
            throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", name: "encoding-type", value: encoding)
        }
        var startAfter: String?
        let continuation = queryValue("continuation-token")
        if version == 2 {
            if let continuation {
                guard let decoded = Self.decodeToken(continuation) else {
                    throw S3Errors.invalidArgument("The continuation token provided is incorrect", name: "continuation-token", value: continuation)
                }
                startAfter = decoded
            } else {
                startAfter = queryValue("start-after")
            }
        } else {
            startAfter = queryValue("marker")
        }
        var listing = ObjectListing()
        if maxKeys > 0 {
            listing = try stored { () throws(ObjectStoreError) in
                try store.list(bucket: bucket, prefix: prefix, delimiter: delimiter, startAfter: startAfter.flatMap { $0.isEmpty ? nil : $0 }, maxKeys: maxKeys)
            }
        } else {
            _ = try stored { () throws(ObjectStoreError) in try store.bucket(bucket) }
        }
        func encoded(_ s: String) -> String { encodeURL ? URIEncoding.encode(s, keepSlash: true) : s }
        let owner = Self.ownerId(request.caller.account)
        var xml = XMLBuilder()
        xml.group("ListBucketResult", namespace: XMLBuilder.s3Namespace) { xml in
            xml.element("Name", bucket)
            xml.element("Prefix", encoded(prefix))
            if version == 2 {
                xml.element("ContinuationToken", continuation)
                if listing.isTruncated, let last = listing.lastReturned { xml.element("NextContinuationToken", Self.encodeToken(last)) }
                xml.element("KeyCount", listing.objects.count + listing.commonPrefixes.count)
            } else {
                xml.element("Marker", encoded(startAfter ?? ""))
                if listing.isTruncated, delimiter != nil, let last = listing.lastReturned { xml.element("NextMarker", encoded(last)) }
            }
            xml.element("MaxKeys", maxKeys)
            xml.element("Delimiter", delimiter.map(encoded))
            xml.element("IsTruncated", listing.isTruncated)
            if version == 2, continuation == nil, let start = queryValue("start-after") { xml.element("StartAfter", encoded(start)) }
            for object in listing.objects {
                xml.group("Contents") { xml in
                    xml.element("Key", encoded(object.key))
                    xml.element("LastModified", Self.timestamp(object.lastModifiedMillis))
                    xml.element("ETag", object.etag)
                    if let checksum = object.metadata.checksum {
                        xml.element("ChecksumAlgorithm", checksum.algorithm)
                        xml.element("ChecksumType", checksum.type)
                    }
                    xml.element("Size", object.size)
                    if version == 1 || queryValue("fetch-owner") == "true" { xml.group("Owner") { $0.element("ID", owner) } }
                    xml.element("StorageClass", object.metadata.storageClass ?? "STANDARD")
                }
            }
            for common in listing.commonPrefixes {
                xml.group("CommonPrefixes") { $0.element("Prefix", encoded(common)) }
            }
            if encodeURL { xml.element("EncodingType", "url") }
        }
        return self.xml(xml)
    }

    /// Continuation tokens are opaque to clients; this one carries the last key returned.
    static func encodeToken(_ key: String) -> String { Base64.encode(Array(("1/" + key).utf8)) }

    static func decodeToken(_ token: String) -> String? {
        guard let bytes = Base64.decode(token) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("1/") else { return nil }
        return String(text.dropFirst(2))
    }
}
