public import JSONCore
import AWSWire

/// Bedrock runtime calls as tests make them most: InvokeModel, its stream, Converse and its
/// stream. Errors are thrown as `AWSError`.
public struct BedrockClient: Sendable {
    let server: TestServer

    /// InvokeModel: the model's JSON answer.
    public func invokeModel(_ modelId: String, body: JSONValue) async throws -> JSONValue {
        try await server.send(.json(.bedrockRuntime, "POST", "/model/\(URIEncoding.encode(modelId))/invoke", body)).succeeded().json()
    }

    /// InvokeModelWithResponseStream: each chunk's `bytes`, decoded (for Claude, the Messages
    /// API's `message_start`, `content_block_delta`, … objects), as they arrive.
    public func invokeModelStream(_ modelId: String, body: JSONValue) async throws -> ModelChunks {
        let events = try await server.events(.json(.bedrockRuntime, "POST", "/model/\(URIEncoding.encode(modelId))/invoke-with-response-stream", body))
        return ModelChunks(events: events)
    }

    /// Converse: the whole answer (`output`, `stopReason`, `usage`, `metrics`).
    public func converse(_ modelId: String, body: JSONValue) async throws -> JSONValue {
        try await server.send(.json(.bedrockRuntime, "POST", "/model/\(URIEncoding.encode(modelId))/converse", body)).succeeded().json()
    }

    /// Converse with one user message of `text`.
    public func converse(_ modelId: String, text: String) async throws -> JSONValue {
        try await converse(modelId, body: Self.userMessage(text))
    }

    /// ConverseStream: its events (`messageStart`, `contentBlockDelta`, …, `metadata`).
    public func converseStream(_ modelId: String, body: JSONValue) async throws -> ServiceEvents {
        try await server.events(.json(.bedrockRuntime, "POST", "/model/\(URIEncoding.encode(modelId))/converse-stream", body))
    }

    static func userMessage(_ text: String) -> JSONValue {
        ["messages": [["role": "user", "content": [["text": .string(text)]]]]]
    }
}

/// The decoded `bytes` of each `chunk` event of an InvokeModelWithResponseStream answer.
public struct ModelChunks: AsyncSequence, Sendable {
    public typealias Element = JSONValue
    let events: ServiceEvents

    public struct AsyncIterator: AsyncIteratorProtocol {
        var events: ServiceEvents.AsyncIterator

        public mutating func next() async throws -> JSONValue? {
            while let event = try await events.next() {
                guard event.type == "chunk" else { continue }
                guard let encoded = event.payload["bytes"]?.stringValue, let bytes = Base64.decode(Array(encoded.utf8)) else {
                    throw HarnessError.unexpectedAnswer("a chunk without base64 bytes")
                }
                return try JSONParser.parse(bytes)
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(events: events.makeAsyncIterator()) }

    /// The text of every `content_block_delta` (Claude's Messages API), joined.
    public func text() async throws -> String {
        var text = ""
        for try await chunk in self where chunk["type"]?.stringValue == "content_block_delta" {
            text += chunk["delta"]?["text"]?.stringValue ?? ""
        }
        return text
    }
}
