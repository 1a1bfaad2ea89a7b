/// The chained signatures of `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` bodies (S3 sigv4-streaming).
public struct SigV4ChunkChain: Sendable {
    public let signingKey: [UInt8]
    public let amzDate: String
    public let scope: String
    public private(set) var previousSignature: String

    public init(signingKey: [UInt8], amzDate: String, scope: String, seedSignature: String) {
        self.signingKey = signingKey
        self.amzDate = amzDate
        self.scope = scope
        self.previousSignature = seedSignature
    }

    public func stringToSign(chunk: some Collection<UInt8>) -> String {
        "AWS4-HMAC-SHA256-PAYLOAD\n\(amzDate)\n\(scope)\n\(previousSignature)\n\(SigV4.emptyPayloadHash)\n\(Digest.sha256Hex(chunk))"
    }

    /// Signs the next chunk and advances the chain.
    public mutating func sign(chunk: some Collection<UInt8>) -> String {
        let signature = SigV4.signature(key: signingKey, stringToSign: stringToSign(chunk: chunk))
        previousSignature = signature
        return signature
    }

    /// Checks a chunk's declared signature and advances the chain when it matches.
    public mutating func verify(chunk: some Collection<UInt8>, signature: String) -> Bool {
        let expected = SigV4.signature(key: signingKey, stringToSign: stringToSign(chunk: chunk))
        guard expected == signature.lowercased() else { return false }
        previousSignature = expected
        return true
    }

    /// The trailer string to sign: canonical trailers are `name:value\n` each.
    public func trailerStringToSign(trailers: [(name: String, value: String)]) -> String {
        let canonical = trailers.map { "\($0.name.lowercased()):\($0.value.trimmingSpaces)\n" }.joined()
        return "AWS4-HMAC-SHA256-TRAILER\n\(amzDate)\n\(scope)\n\(previousSignature)\n\(Digest.sha256Hex(canonical))"
    }

    public func trailerSignature(trailers: [(name: String, value: String)]) -> String {
        SigV4.signature(key: signingKey, stringToSign: trailerStringToSign(trailers: trailers))
    }
}
