import AWSWire
import JSONCore
import ObjectStore
import ServiceKit

/// An upload's bytes and what the client declared about them: aws-chunked bodies decoded,
/// Content-MD5 and `x-amz-checksum-*` (header or trailer) verified as S3 verifies them.
struct S3Payload {
    var body: [UInt8]
    var checksum: ObjectChecksum?

    init(_ request: ServiceRequest) throws(AWSServiceError) {
        var trailers: [(name: String, value: String)] = []
        if AWSChunkedBody.isChunked(contentSHA256: request.header("x-amz-content-sha256"), contentEncoding: request.header("Content-Encoding")) {
            do {
                let decoded = try AWSChunkedBody(decoding: request.body)
                body = decoded.content
                trailers = decoded.trailers
            } catch {
                throw S3Errors.error("IncompleteBody", "The request body terminated unexpectedly", status: 400)
            }
            if let declared = request.header("x-amz-decoded-content-length"), Int(declared) != body.count {
                throw S3Errors.error("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header", status: 400)
            }
        } else {
            body = request.body
        }
        if let md5 = request.header("Content-MD5") {
            guard let digest = Base64.decode(md5), digest.count == 16 else {
                throw S3Errors.error("InvalidDigest", "The Content-MD5 you specified was not valid.", status: 400, [("Content-MD5", md5)])
            }
            guard digest == Digest.md5(body) else {
                throw S3Errors.error(
                    "BadDigest", "The Content-MD5 you specified did not match what we received.", status: 400,
                    [("ExpectedDigest", Digest.hex(digest)), ("CalculatedDigest", Base64.encode(Digest.md5(body)))])
            }
        }
        var declared: (ChecksumAlgorithm, String)?
        for (name, value) in request.headers + trailers {
            if let algorithm = ChecksumAlgorithm(headerName: name) { declared = (algorithm, value) }
        }
        if let (algorithm, value) = declared {
            let computed = algorithm.value(body)
            guard computed == value else {
                throw S3Errors.error("BadDigest", "The \(algorithm.rawValue) you specified did not match the calculated checksum.", status: 400)
            }
            checksum = ObjectChecksum(algorithm: algorithm.rawValue, value: computed)
        } else if let named = request.header("x-amz-sdk-checksum-algorithm").flatMap({ ChecksumAlgorithm(rawValue: $0.uppercased()) }) {
            checksum = ObjectChecksum(algorithm: named.rawValue, value: named.value(body))
        }
    }

    /// S3 stores a CRC64NVME checksum with every object uploaded without one (since 2025).
    mutating func applyDefaultChecksum() {
        if checksum == nil { checksum = ObjectChecksum(algorithm: ChecksumAlgorithm.crc64nvme.rawValue, value: ChecksumAlgorithm.crc64nvme.value(body)) }
    }
}

extension ObjectMetadata {
    /// The stored headers of a PutObject, CopyObject (REPLACE) or CreateMultipartUpload.
    init(headers request: ServiceRequest) {
        self.init()
        contentType = request.header("Content-Type")
        if let encoding = request.header("Content-Encoding") {
            // aws-chunked describes the transfer, not the object.
            let kept = encoding.split(separator: ",").map(\.trimmedSpaces).filter { $0 != "aws-chunked" }
            contentEncoding = kept.isEmpty ? nil : kept.joined(separator: ",")
        }
        contentDisposition = request.header("Content-Disposition")
        contentLanguage = request.header("Content-Language")
        cacheControl = request.header("Cache-Control")
        expires = request.header("Expires")
        storageClass = request.header("x-amz-storage-class")
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower.hasPrefix("x-amz-meta-") { user.append(UserMetadata(name: String(lower.dropFirst(11)), value: value)) }
        }
    }

    /// Response headers for GET and HEAD.
    var responseHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Content-Type", contentType ?? "binary/octet-stream")]
        if let contentEncoding { headers.append(("Content-Encoding", contentEncoding)) }
        if let contentDisposition { headers.append(("Content-Disposition", contentDisposition)) }
        if let contentLanguage { headers.append(("Content-Language", contentLanguage)) }
        if let cacheControl { headers.append(("Cache-Control", cacheControl)) }
        if let expires { headers.append(("Expires", expires)) }
        if let storageClass, storageClass != "STANDARD" { headers.append(("x-amz-storage-class", storageClass)) }
        for item in user { headers.append(("x-amz-meta-\(item.name)", item.value)) }
        return headers
    }
}
