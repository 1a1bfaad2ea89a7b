import AWSWire
import JSONCore
import ObjectStore
import ServiceKit

/// S3's errors as S3 words them (restXml `<Error>`; extra members after `Message`).
enum S3Errors {
    static func error(_ code: String, _ message: String, status: Int, _ extra: [(String, String)] = []) -> AWSServiceError {
        AWSServiceError(code: code, message: message, status: status, extraMembers: JSONObject(extra.map { ($0.0, JSONValue.string($0.1)) }))
    }

    static func noSuchBucket(_ name: String) -> AWSServiceError {
        error("NoSuchBucket", "The specified bucket does not exist", status: 404, [("BucketName", name)])
    }

    static func noSuchKey(_ key: String) -> AWSServiceError { error("NoSuchKey", "The specified key does not exist.", status: 404, [("Key", key)]) }

    static func noSuchUpload(_ id: String) -> AWSServiceError {
        error(
            "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
            status: 404, [("UploadId", id)])
    }

    static func invalidBucketName(_ name: String) -> AWSServiceError {
        error("InvalidBucketName", "The specified bucket is not valid.", status: 400, [("BucketName", name)])
    }

    static func invalidArgument(_ message: String, name: String, value: String) -> AWSServiceError {
        error("InvalidArgument", message, status: 400, [("ArgumentName", name), ("ArgumentValue", value)])
    }

    /// A request target S3 cannot read as bucket and key (a `..` step above the bucket).
    static let invalidURI = error("InvalidURI", "Couldn't parse the specified URI.", status: 400)

    static let malformedXML = error(
        "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", status: 400)

    static func from(_ failure: ObjectStoreError) -> AWSServiceError {
        switch failure {
        case .noSuchBucket(let name): return noSuchBucket(name)
        case .bucketAlreadyOwnedByYou(let name):
            return error(
                "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", status: 409,
                [("BucketName", name)])
        case .bucketAlreadyExists(let name):
            return error(
                "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                status: 409, [("BucketName", name)])
        case .bucketNotEmpty(let name):
            return error("BucketNotEmpty", "The bucket you tried to delete is not empty", status: 409, [("BucketName", name)])
        case .noSuchKey(let key): return noSuchKey(key)
        case .noSuchUpload(let id): return noSuchUpload(id)
        case .invalidPart(let number):
            return error(
                "InvalidPart",
                "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                status: 400, [("PartNumber", String(number))])
        case .invalidPartOrder:
            return error("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", status: 400)
        case .entityTooSmall:
            return error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", status: 400)
        case .storage:
            return ServiceErrors.internalFailure(service: .s3)
        }
    }
}
