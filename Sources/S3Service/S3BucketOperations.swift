import AWSWire
import ObjectStore
import ServiceKit

/// Bucket-level operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
/// GetBucketLocation.
extension S3Call {
    func listBuckets() throws(AWSServiceError) -> AWSResponse {
        var buckets = store.buckets(ownedBy: request.caller.account)
        if let prefix = queryValue("prefix") { buckets = buckets.filter { $0.name.hasPrefix(prefix) } }
        if let region = queryValue("bucket-region") { buckets = buckets.filter { $0.region == region } }
        if let token = queryValue("continuation-token") { buckets = buckets.filter { $0.name > token } }
        var limit = buckets.count
        if let text = queryValue("max-buckets") {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw S3Errors.invalidArgument("Provided max-buckets not an integer or within integer range", name: "max-buckets", value: text)
            }
            limit = value
        }
        let page = buckets.prefix(limit)
        var xml = XMLBuilder()
        xml.group("ListAllMyBucketsResult", namespace: XMLBuilder.s3Namespace) { xml in
            xml.group("Owner") { $0.element("ID", Self.ownerId(request.caller.account)) }
            xml.group("Buckets") { xml in
                for bucket in page {
                    xml.group("Bucket") { xml in
                        xml.element("Name", bucket.name)
                        xml.element("CreationDate", Self.timestamp(bucket.creationMillis))
                        xml.element("BucketRegion", bucket.region)
                    }
                }
            }
            if page.count < buckets.count, let last = page.last { xml.element("ContinuationToken", last.name) }
            xml.element("Prefix", queryValue("prefix"))
        }
        return self.xml(xml)
    }

    func createBucket() throws(AWSServiceError) -> AWSResponse {
        guard S3Address.isValidBucketName(bucket) else { throw S3Errors.invalidBucketName(bucket) }
        let region = request.caller.region
        var constraint: String?
        if !request.body.isEmpty {
            let document = try xmlDocument("CreateBucketConfiguration")
            constraint = document.childText("LocationConstraint")
        }
        if let constraint, !constraint.isEmpty {
            if region == "us-east-1" || constraint == "us-east-1" {
                throw S3Errors.error("InvalidLocationConstraint", "The specified location-constraint is not valid", status: 400, [("LocationConstraint", constraint)])
            }
            if constraint != region {
                throw S3Errors.error(
                    "IllegalLocationConstraintException",
                    "The \(constraint) location constraint is incompatible for the region specific endpoint this request was sent to.", status: 400)
            }
        } else if region != "us-east-1" {
            throw S3Errors.error(
                "IllegalLocationConstraintException",
                "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.", status: 400)
        }
        try stored { () throws(ObjectStoreError) in try store.createBucket(bucket, account: request.caller.account, region: region) }
        return empty(headers: [("Location", "/\(bucket)")])
    }

    func headBucket() throws(AWSServiceError) -> AWSResponse {
        let info = try stored { () throws(ObjectStoreError) in try store.bucket(bucket) }
        return empty(headers: [("x-amz-bucket-region", info.region), ("x-amz-access-point-alias", "false")])
    }

    func deleteBucket() throws(AWSServiceError) -> AWSResponse {
        try stored { () throws(ObjectStoreError) in try store.deleteBucket(bucket) }
        return empty(status: 204)
    }

    func getBucketLocation() throws(AWSServiceError) -> AWSResponse {
        let info = try stored { () throws(ObjectStoreError) in try store.bucket(bucket) }
        var xml = XMLBuilder()
        // us-east-1 is reported as an empty constraint, as S3 does.
        xml.open("LocationConstraint", namespace: XMLBuilder.s3Namespace)
        if info.region != "us-east-1" { xml.characters(info.region) }
        xml.close("LocationConstraint")
        return self.xml(xml)
    }
}
