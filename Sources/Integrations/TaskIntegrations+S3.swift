import AWSWire
import JSONCore
import ServiceKit
import StatesEngine

/// `arn:aws:states:::aws-sdk:s3:getObject`, `putObject`, `listObjectsV2`, `deleteObject` and
/// `headObject`, as Step Functions' AWS SDK integrations call them: PascalCase members, a
/// text `Body`, results in the SDK's member names.
extension TaskIntegrations {
    static let s3Resources = mapResources + [
        "arn:aws:states:::aws-sdk:s3:getObject", "arn:aws:states:::aws-sdk:s3:putObject", "arn:aws:states:::aws-sdk:s3:listObjectsV2",
        "arn:aws:states:::aws-sdk:s3:deleteObject", "arn:aws:states:::aws-sdk:s3:headObject",
    ]

    /// What Distributed Map's ItemReader and ResultWriter name: reads return items, the
    /// writer stores a body.
    static let mapResources = ["arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2", "arn:aws:states:::s3:putObject"]

    func s3(_ resource: String, _ parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        let action = resource.split(separator: ":").last.map(String.init) ?? ""
        if Self.mapResources.contains(resource) { return try await mapIO(action, parameters, context: context) }
        guard let bucket = parameters["Bucket"]?.stringValue else {
            throw StatesError(.runtime, "The field 'Bucket' is required for the aws-sdk:s3:\(action) integration")
        }
        let key = parameters["Key"]?.stringValue
        if action != "listObjectsV2", key == nil {
            throw StatesError(.runtime, "The field 'Key' is required for the aws-sdk:s3:\(action) integration")
        }
        let objectPath = Self.objectPath(bucket, key ?? "")
        switch action {
        case "putObject":
            let body = Self.bodyBytes(parameters["Body"])
            var headers: [(name: String, value: String)] = []
            if let type = parameters["ContentType"]?.stringValue { headers.append(("Content-Type", type)) }
            for member in (parameters["Metadata"]?.objectValue?.storage ?? []) {
                headers.append(("x-amz-meta-\(member.key.lowercased())", member.value.stringValue ?? member.value.jsonString))
            }
            let response = try await s3Call("PUT", objectPath, "PutObject", headers: headers, body: body, context: context)
            var out = JSONObject()
            out["ETag"] = .string(response.header("ETag") ?? "")
            out["ServerSideEncryption"] = .string("AES256")
            return .object(out)
        case "getObject", "headObject":
            let head = action == "headObject"
            let response = try await s3Call(head ? "HEAD" : "GET", objectPath, head ? "HeadObject" : "GetObject", context: context)
            var out = JSONObject()
            if !head { out["Body"] = .string(String(decoding: response.body, as: UTF8.self)) }
            out["AcceptRanges"] = "bytes"
            if let modified = response.header("Last-Modified") { out["LastModified"] = .string(modified) }
            out["ContentLength"] = JSONValue(Int(response.header("Content-Length") ?? "") ?? response.body.count)
            out["ETag"] = .string(response.header("ETag") ?? "")
            out["ContentType"] = .string(response.header("Content-Type") ?? "binary/octet-stream")
            out["ServerSideEncryption"] = "AES256"
            var metadata = JSONObject()
            for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst(11))] = .string(value) }
            out["Metadata"] = .object(metadata)
            return .object(out)
        case "deleteObject":
            _ = try await s3Call("DELETE", objectPath, "DeleteObject", context: context)
            return .object(JSONObject())
        default:
            var query = ["list-type=2"]
            for (member, name) in [("Prefix", "prefix"), ("Delimiter", "delimiter"), ("MaxKeys", "max-keys"), ("ContinuationToken", "continuation-token"), ("StartAfter", "start-after")] {
                guard let value = parameters[member] else { continue }
                query.append("\(name)=\(URIEncoding.encode(value.stringValue ?? value.jsonString))")
            }
            let response = try await s3Call("GET", "/\(URIEncoding.encode(bucket))?" + query.joined(separator: "&"), "ListObjectsV2", context: context)
            return Self.listing(response.body)
        }
    }

    /// One S3 call as the execution (errors as `S3.<Code>Exception`); S3's answers are in
    /// their wire form (headers, XML, object bytes).
    func s3Call(
        _ method: String, _ path: String, _ operation: OperationName, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        context: TaskContext
    ) async throws(StatesError) -> AWSResponse {
        guard
            case .raw(let response) = try await call(
                .s3, operation, method, path, headers: headers, body: body, context: context, errorPrefix: "S3", serviceName: "S3")
        else { return AWSResponse() }
        return response
    }

    static func objectPath(_ bucket: String, _ key: String) -> String { "/\(URIEncoding.encode(bucket))/\(URIEncoding.encode(key, keepSlash: true))" }

    /// ListObjectsV2's XML as the SDK's result object.
    static func listing(_ body: [UInt8]) -> JSONValue {
        guard let document = try? XMLElement.parse(body) else { return .object(JSONObject()) }
        var out = JSONObject()
        let contents: [JSONValue] = document.children("Contents").map { item in
            var o = JSONObject()
            o["Key"] = .string(item.childText("Key") ?? "")
            o["LastModified"] = .string(item.childText("LastModified") ?? "")
            o["ETag"] = .string(item.childText("ETag") ?? "")
            if let algorithm = item.childText("ChecksumAlgorithm") { o["ChecksumAlgorithm"] = [.string(algorithm)] }
            if let type = item.childText("ChecksumType") { o["ChecksumType"] = .string(type) }
            o["Size"] = JSONValue(Int(item.childText("Size") ?? "") ?? 0)
            o["StorageClass"] = .string(item.childText("StorageClass") ?? "STANDARD")
            return .object(o)
        }
        if !contents.isEmpty { out["Contents"] = .array(contents) }
        let prefixes = document.children("CommonPrefixes").map { JSONValue.object(JSONObject([("Prefix", .string($0.childText("Prefix") ?? ""))])) }
        if !prefixes.isEmpty { out["CommonPrefixes"] = .array(prefixes) }
        if let delimiter = document.childText("Delimiter") { out["Delimiter"] = .string(delimiter) }
        out["IsTruncated"] = .bool(document.childText("IsTruncated") == "true")
        out["KeyCount"] = JSONValue(Int(document.childText("KeyCount") ?? "") ?? 0)
        out["MaxKeys"] = JSONValue(Int(document.childText("MaxKeys") ?? "") ?? 1000)
        out["Name"] = .string(document.childText("Name") ?? "")
        if let token = document.childText("NextContinuationToken") { out["NextContinuationToken"] = .string(token) }
        out["Prefix"] = .string(document.childText("Prefix") ?? "")
        return .object(out)
    }
}
