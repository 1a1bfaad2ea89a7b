import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Asks a Claude model on Bedrock for a joke with InvokeModel, over URLSession. A real app
/// would sign with the AWS SDK; Understudy's default (lenient) auth accepts the request as it
/// is, which keeps this example to the part under test: what the app sends and how it reads
/// the answer.
public struct JokeTeller: Sendable {
    public var endpoint: URL
    public var modelId: String

    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var body: String
        public var description: String { "Bedrock answered \(status): \(body)" }
    }

    public init(endpoint: URL, modelId: String = "anthropic.claude-3-haiku-20240307-v1:0") {
        self.endpoint = endpoint
        self.modelId = modelId
    }

    /// One joke about `topic`, the text of the model's first content block.
    public func joke(about topic: String) async throws -> String {
        let encodedModel = modelId.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._"))) ?? modelId
        var request = URLRequest(url: URL(string: "\(endpoint.absoluteString)/model/\(encodedModel)/invoke")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body: [String: Any] = [
            "anthropic_version": "bedrock-2023-05-31", "max_tokens": 200,
            "messages": [["role": "user", "content": "Tell me a joke about \(topic)"]],
        ]
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw Failure(status: status, body: String(decoding: data, as: UTF8.self)) }
        let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let content = answer?["content"] as? [[String: Any]]
        return content?.first?["text"] as? String ?? ""
    }
}
