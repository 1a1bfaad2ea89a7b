public import AWSWire
import JSONCore
public import ObjectStore
public import ServiceKit

/// S3 (restXml, 2006-03-01): the slice batch inference, Step Functions and `aws s3` need,
/// over the object store. Path style, and virtual-hosted style when the Host names a bucket.
public struct S3FrontEnd: ServiceFrontEnd {
    public let service = AWSService.s3
    let store: ObjectStore
    let now: @Sendable () -> Int64

    public init(store: ObjectStore, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.now = now
    }

    typealias Handler = @Sendable (S3Call) throws(AWSServiceError) -> AWSResponse

    /// The served operations: the one table both dispatch and the health report read.
    static let operations: [String: Handler] = [
        "ListBuckets": { c throws(AWSServiceError) in try c.listBuckets() },
        "CreateBucket": { c throws(AWSServiceError) in try c.createBucket() },
        "HeadBucket": { c throws(AWSServiceError) in try c.headBucket() },
        "DeleteBucket": { c throws(AWSServiceError) in try c.deleteBucket() },
        "GetBucketLocation": { c throws(AWSServiceError) in try c.getBucketLocation() },
        "ListObjectsV2": { c throws(AWSServiceError) in try c.listObjects(version: 2) },
        "ListObjects": { c throws(AWSServiceError) in try c.listObjects(version: 1) },
        "DeleteObjects": { c throws(AWSServiceError) in try c.deleteObjects() },
        "PutObject": { c throws(AWSServiceError) in try c.putObject() },
        "GetObject": { c throws(AWSServiceError) in try c.getObject(includeBody: true) },
        "HeadObject": { c throws(AWSServiceError) in try c.getObject(includeBody: false) },
        "DeleteObject": { c throws(AWSServiceError) in try c.deleteObject() },
        "CopyObject": { c throws(AWSServiceError) in try c.copyObject() },
        "CreateMultipartUpload": { c throws(AWSServiceError) in try c.createMultipartUpload() },
        "UploadPart": { c throws(AWSServiceError) in try c.uploadPart() },
        "CompleteMultipartUpload": { c throws(AWSServiceError) in try c.completeMultipartUpload() },
        "AbortMultipartUpload": { c throws(AWSServiceError) in try c.abortMultipartUpload() },
        "ListParts": { c throws(AWSServiceError) in try c.listParts() },
        "ListMultipartUploads": { c throws(AWSServiceError) in try c.listMultipartUploads() },
    ]

    public var servedOperations: [String] { Self.operations.keys.sorted() }

    /// Bucket sub-resources S3 has that Understudy does not serve (each answered 501).
    static let unservedSubresources: [String: String] = [
        "acl": "BucketAcl", "policy": "BucketPolicy", "cors": "BucketCors", "lifecycle": "BucketLifecycleConfiguration",
        "versioning": "BucketVersioning", "tagging": "BucketTagging", "website": "BucketWebsite", "encryption": "BucketEncryption",
        "notification": "BucketNotificationConfiguration", "logging": "BucketLogging", "replication": "BucketReplication",
        "versions": "ObjectVersions", "object-lock": "ObjectLockConfiguration", "ownershipControls": "BucketOwnershipControls",
        "publicAccessBlock": "PublicAccessBlock", "accelerate": "BucketAccelerateConfiguration", "requestPayment": "BucketRequestPayment",
        "retention": "ObjectRetention", "legal-hold": "ObjectLegalHold", "attributes": "ObjectAttributes", "restore": "RestoreObject",
        "select": "SelectObjectContent", "torrent": "ObjectTorrent", "metadataTable": "BucketMetadataTableConfiguration",
    ]

    /// The operation a request names, from method, address and sub-resources.
    static func operationName(method: String, address: S3Address, query: [(name: String, value: String)], header: (String) -> String?) -> String {
        func has(_ name: String) -> Bool { query.contains { $0.name == name } }
        let prefix = ["GET": "Get", "PUT": "Put", "DELETE": "Delete", "HEAD": "Get", "POST": "Post"][method] ?? method
        if let unserved = query.first(where: { unservedSubresources[$0.name] != nil }) {
            return prefix + unservedSubresources[unserved.name]!
        }
        guard address.bucket != nil else { return method == "GET" ? "ListBuckets" : "Unknown" }
        if address.key.isEmpty {
            switch method {
            case "GET":
                if has("location") { return "GetBucketLocation" }
                if has("uploads") { return "ListMultipartUploads" }
                return query.first(where: { $0.name == "list-type" })?.value == "2" ? "ListObjectsV2" : "ListObjects"
            case "PUT": return "CreateBucket"
            case "HEAD": return "HeadBucket"
            case "DELETE": return "DeleteBucket"
            case "POST": return has("delete") ? "DeleteObjects" : "Unknown"
            default: return "Unknown"
            }
        }
        switch method {
        case "GET": return has("uploadId") ? "ListParts" : "GetObject"
        case "HEAD": return "HeadObject"
        case "PUT":
            if has("partNumber") && has("uploadId") { return header("x-amz-copy-source") != nil ? "UploadPartCopy" : "UploadPart" }
            return header("x-amz-copy-source") != nil ? "CopyObject" : "PutObject"
        case "DELETE": return has("uploadId") ? "AbortMultipartUpload" : "DeleteObject"
        case "POST":
            if has("uploads") { return "CreateMultipartUpload" }
            if has("uploadId") { return "CompleteMultipartUpload" }
            return "Unknown"
        default: return "Unknown"
        }
    }

    public func operation(for request: ServiceRequest) -> ServiceCall {
        let address = S3Address(path: request.path, host: request.header("Host"))
        return plainOperation(Self.operationName(method: request.method, address: address, query: request.queryItems, header: request.header), for: request)
    }

    public func handle(_ operation: ServiceCall) -> Handling {
        let request = operation.request
        let address = S3Address(path: request.path, host: request.header("Host"))
        let name = operation.name.rawValue
        let call = S3Call(request: request, address: address, query: request.queryItems, store: store, now: now)
        if S3Address.climbsOutOfBucket(S3Address.rawKey(path: request.path, host: request.header("Host"))) {
            return .now(failure(S3Errors.invalidURI, call: call))
        }
        do throws(AWSServiceError) {
            guard let run = Self.operations[name] else {
                throw operation.name == .unknown ? ServiceErrors.unknownOperation(.s3) : ServiceErrors.notEmulated(name, service: .s3)
            }
            return .now(Reply(.raw(try run(call))))
        } catch {
            return .now(failure(error, call: call))
        }
    }

    /// HEAD answers carry no body, so S3 sends only the status (clients name the error by it).
    func failure(_ error: AWSServiceError, call: S3Call) -> Reply {
        if call.request.method == "HEAD" {
            var headers: [(name: String, value: String)] = [("x-amz-request-id", call.request.requestId)]
            if error.code == "NoSuchBucket" || error.code == "NoSuchKey" { headers.append(("Content-Type", "application/xml")) }
            return Reply(.raw(AWSResponse(status: error.status, headers: headers)))
        }
        return .failure(error, resource: call.request.path)
    }
}

/// One S3 request being answered: its address, query and the store.
struct S3Call {
    let request: ServiceRequest
    let address: S3Address
    let query: [(name: String, value: String)]
    let store: ObjectStore
    let now: @Sendable () -> Int64

    func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
    func has(_ name: String) -> Bool { query.contains { $0.name == name } }

    var bucket: String { address.bucket ?? "" }

    /// Runs a store operation, turning its refusal into S3's error.
    func stored<T>(_ body: () throws(ObjectStoreError) -> T) throws(AWSServiceError) -> T {
        do { return try body() } catch { throw S3Errors.from(error) }
    }

    /// A request's XML document (decoded and checked like any upload), named `root`.
    func xmlDocument(_ root: String) throws(AWSServiceError) -> XMLElement {
        let payload = try S3Payload(request)
        guard let document = try? XMLElement.parse(payload.body), document.name == root else { throw S3Errors.malformedXML }
        return document
    }

    func xml(_ builder: XMLBuilder, status: Int = 200, headers: [(name: String, value: String)] = []) -> AWSResponse {
        AWSResponse(
            status: status, headers: [("x-amz-request-id", request.requestId), ("Content-Type", "application/xml")] + headers, body: builder.bytes)
    }

    func empty(status: Int = 200, headers: [(name: String, value: String)] = []) -> AWSResponse {
        AWSResponse(status: status, headers: [("x-amz-request-id", request.requestId)] + headers)
    }

    /// The canonical user id S3 shows as a bucket's owner: stable per account.
    static func ownerId(_ account: String) -> String { Digest.sha256Hex(Array("understudy-owner-\(account)".utf8)) }

    static func timestamp(_ millis: Int64) -> String { AWSTimestamp.iso8601(epochMillis: millis) }
}
