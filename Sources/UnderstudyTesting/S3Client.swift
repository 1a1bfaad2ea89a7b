import AWSWire

/// The S3 calls tests make most, path style.
public struct S3Client: Sendable {
    let server: TestServer

    public func createBucket(_ bucket: String) async throws {
        _ = try await server.send(TestRequest(service: .s3, method: "PUT", target: "/\(URIEncoding.encode(bucket))")).succeeded()
    }

    /// PutObject; answers the ETag.
    @discardableResult
    public func put(bucket: String, key: String, body: [UInt8], contentType: String? = nil) async throws -> String? {
        let headers: [(name: String, value: String)] = contentType.map { [("Content-Type", $0)] } ?? []
        let answer = try await server.send(TestRequest(service: .s3, method: "PUT", target: Self.target(bucket, key), headers: headers, body: body)).succeeded()
        return answer.header("ETag")
    }

    @discardableResult
    public func put(bucket: String, key: String, text: String) async throws -> String? {
        try await put(bucket: bucket, key: key, body: Array(text.utf8), contentType: "text/plain")
    }

    /// GetObject: the body.
    public func get(bucket: String, key: String) async throws -> [UInt8] {
        try await server.send(TestRequest(service: .s3, method: "GET", target: Self.target(bucket, key))).succeeded().body
    }

    static func target(_ bucket: String, _ key: String) -> String {
        "/\(URIEncoding.encode(bucket))/\(URIEncoding.encode(key, keepSlash: true))"
    }
}
