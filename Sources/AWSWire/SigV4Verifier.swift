/// Verifies SigV4 requests against known credentials (strict auth).
///
/// Header and presigned-query forms; the payload hash comes from `X-Amz-Content-SHA256` when
/// sent (S3 always sends it: a hash, `UNSIGNED-PAYLOAD` or a `STREAMING-…` mode), otherwise it is
/// computed from the body as AWS does for JSON services.
public struct SigV4Verifier: Sendable {
    public typealias SecretLookup = @Sendable (String) -> String?

    /// AWS rejects signatures more than 15 minutes away from its clock.
    public static let allowedSkewSeconds: Int64 = 15 * 60

    public let secretFor: SecretLookup
    public var checkClockSkew: Bool

    public init(checkClockSkew: Bool = true, secretFor: @escaping SecretLookup) {
        self.secretFor = secretFor
        self.checkClockSkew = checkClockSkew
    }

    public struct Verified: Sendable {
        public var authorization: SigV4Authorization
        public var amzDate: String
        /// Kept for verifying `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` chunk signatures.
        public var signingKey: [UInt8]
    }

    public enum Failure: Error, Sendable, Equatable {
        case missingAuthentication
        case incompleteSignature(String)
        case unknownAccessKey(String)
        case signatureMismatch(canonicalRequest: String, stringToSign: String)
        /// The request's time is more than 15 minutes in the past.
        case expired(requestTime: String, now: String, earliest: String)
        /// The request's time is more than 15 minutes in the future.
        case notYetCurrent(requestTime: String, now: String, latest: String)
        /// A presigned URL past its `X-Amz-Expires`.
        case presignedExpired
    }

    /// - Parameters:
    ///   - now: seconds since the epoch, from the server's clock.
    public func verify(_ request: HTTPRequestParts, body: [UInt8], now: Int64) throws(Failure) -> Verified {
        let queryItems = URIEncoding.queryItems(request.query)
        let auth: SigV4Authorization
        do {
            if let header = request.header("Authorization") {
                auth = try SigV4Authorization.parse(header: header)
            } else if queryItems.contains(where: { $0.name == "X-Amz-Algorithm" }) {
                auth = try SigV4Authorization.parse(query: queryItems)
            } else {
                throw Failure.missingAuthentication
            }
        } catch let error as SigV4Authorization.ParseError {
            switch error {
            case .notSigV4: throw .incompleteSignature("Authorization header requires a supported signature algorithm.")
            case .missing(let name):
                throw .incompleteSignature("Authorization header requires '\(name)' parameter.")
            case .malformedCredential(let credential):
                throw .incompleteSignature("Credential should be scoped to a valid region. '\(credential)'")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .missingAuthentication
        }

        guard let amzDate = auth.amzDate ?? request.header("X-Amz-Date") ?? request.header("Date").flatMap(AWSTimestamp.amzDate(fromHTTPDate:)) else {
            throw .incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard let secret = secretFor(auth.accessKeyId) else { throw .unknownAccessKey(auth.accessKeyId) }

        if checkClockSkew, let requestTime = AWSTimestamp.epochSeconds(amzDate: amzDate) {
            if let expires = auth.expires {
                if now > requestTime + Int64(expires) { throw .presignedExpired }
                if requestTime - now > Self.allowedSkewSeconds {
                    throw .notYetCurrent(
                        requestTime: amzDate, now: AWSTimestamp.amzDate(epochSeconds: now),
                        latest: AWSTimestamp.amzDate(epochSeconds: now + Self.allowedSkewSeconds))
                }
            } else if now - requestTime > Self.allowedSkewSeconds {
                throw .expired(
                    requestTime: amzDate, now: AWSTimestamp.amzDate(epochSeconds: now - Self.allowedSkewSeconds),
                    earliest: AWSTimestamp.amzDate(epochSeconds: now))
            } else if requestTime - now > Self.allowedSkewSeconds {
                throw .notYetCurrent(
                    requestTime: amzDate, now: AWSTimestamp.amzDate(epochSeconds: now + Self.allowedSkewSeconds),
                    latest: AWSTimestamp.amzDate(epochSeconds: now))
            }
        }

        let payloadHash: String
        if let declared = request.header("X-Amz-Content-SHA256") {
            payloadHash = declared
        } else if auth.isPresigned {
            payloadHash = auth.service == "s3" ? "UNSIGNED-PAYLOAD" : Digest.sha256Hex(body)
        } else {
            payloadHash = Digest.sha256Hex(body)
        }
        let canonical = SigV4.canonicalRequest(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            signedHeaders: auth.signedHeaders, payloadHash: payloadHash, pathMode: SigV4.pathMode(forService: auth.service),
            excludingQuery: auth.isPresigned ? ["X-Amz-Signature"] : [])
        let sts = SigV4.stringToSign(amzDate: amzDate, scope: auth.scope, canonicalRequest: canonical)
        let key = SigV4.signingKey(secret: secret, date: auth.date, region: auth.region, service: auth.service)
        guard constantTimeEqual(SigV4.signature(key: key, stringToSign: sts), auth.signature.lowercased()) else {
            throw .signatureMismatch(canonicalRequest: canonical, stringToSign: sts)
        }
        return Verified(authorization: auth, amzDate: amzDate, signingKey: key)
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

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
