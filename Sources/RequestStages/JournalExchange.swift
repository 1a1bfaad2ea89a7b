import AWSWire
public import JSONCore
public import ServiceKit

/// What a Bedrock runtime call asked and was answered, as the console shows it: the request
/// and response bodies (their first `maxBodyBytes`), an event stream's frames (the first
/// `maxFrames`, each payload cut at `maxFrameBytes`), the token counts and the error.
///
/// Bounded so the journal's memory stays `journal.size` times a few KB however large the
/// prompts: a ring of 1000 entries holds at most about 20 MB of exchanges.
public struct JournalExchange: Sendable {
    public static let maxBodyBytes = 4096
    public static let maxFrames = 64
    public static let maxFrameBytes = 512

    public var request: String
    public var requestBytes: Int
    public var response: String?
    public var responseBytes: Int?
    public var frames: [String]
    public var frameCount: Int
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var error: String?

    /// The exchange of a Bedrock runtime call, or nil for every other service (their bodies
    /// are S3 objects or Step Functions' own requests, which the console shows elsewhere).
    public init?(_ call: ServiceCall, _ reply: Reply) {
        guard call.service == .bedrockRuntime else { return nil }
        request = Self.text(call.request.body, limit: Self.maxBodyBytes)
        requestBytes = call.request.body.count
        frames = []
        frameCount = 0
        switch reply.outcome {
        case .document(let body, let headers):
            let bytes = body.jsonBytes
            response = Self.text(bytes, limit: Self.maxBodyBytes)
            responseBytes = bytes.count
            readTokens(headers)
        case .raw(let answer):
            response = Self.text(answer.body, limit: Self.maxBodyBytes)
            responseBytes = answer.body.count
            readTokens(answer.headers)
        case .stream(let stream):
            frameCount = stream.frames.count
            for frame in stream.frames.prefix(Self.maxFrames) {
                let payload = (try? EventStreamDecoder.decodeAll(frame))?.first?.payload ?? frame
                frames.append(Self.text(payload, limit: Self.maxFrameBytes))
            }
            readTokens(stream.headers)
        case .failure(let failure, _):
            error = failure.code + (failure.message.map { ": " + $0 } ?? "")
        case .live:
            break
        }
    }

    mutating func readTokens(_ headers: [(name: String, value: String)]) {
        for (name, value) in headers {
            switch name.lowercased() {
            case "x-amzn-bedrock-input-token-count": inputTokens = Int(value)
            case "x-amzn-bedrock-output-token-count": outputTokens = Int(value)
            default: break
            }
        }
    }

    /// The first `limit` bytes as text, cut at a character boundary; invalid UTF-8 is replaced.
    static func text(_ bytes: [UInt8], limit: Int) -> String {
        guard bytes.count > limit else { return String(decoding: bytes, as: UTF8.self) }
        var end = limit
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    public var json: JSONValue {
        var o = JSONObject()
        o["request"] = .string(request)
        o["requestBytes"] = JSONValue(requestBytes)
        if let response { o["response"] = .string(response) }
        if let responseBytes { o["responseBytes"] = JSONValue(responseBytes) }
        if frameCount > 0 {
            o["frames"] = .array(frames.map { .string($0) })
            o["frameCount"] = JSONValue(frameCount)
        }
        if let inputTokens { o["inputTokens"] = JSONValue(inputTokens) }
        if let outputTokens { o["outputTokens"] = JSONValue(outputTokens) }
        if let error { o["error"] = .string(error) }
        return .object(o)
    }
}
