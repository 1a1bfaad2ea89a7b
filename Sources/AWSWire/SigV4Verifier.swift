/// Verifies SigV4 requests against known credentials (strict auth).
///
/// Header and presigned-query forms, checked in the order AWS checks them: the request time
/// (a real `X-Amz-Date`, else `Date`; within 15 minutes, or within a presigned URL's
/// `X-Amz-Expires` of at most a week), `host` among the signed headers, the credential scope's
/// date against the request's, the key, the signature, and for S3 the body against the
/// `X-Amz-Content-SHA256` it was signed with.
///
/// The payload hash in the canonical request is the header's value for S3 (a hash,
/// `UNSIGNED-PAYLOAD` or a `STREAMING-…` mode; presigned URLs are `UNSIGNED-PAYLOAD`); every
/// other service computes it from the body, so a body altered after signing, or signed as
/// `UNSIGNED-PAYLOAD`, no longer matches the signature.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html
public struct SigV4Verifier: Sendable {
    public typealias SecretLookup = @Sendable (String) -> String?

    /// AWS rejects signatures more than 15 minutes away from its clock.
    public static let allowedSkewSeconds: Int64 = 15 * 60
    /// The longest a presigned URL may live: a week.
    public static let maximumExpiresSeconds: Int64 = 604_800
    /// A presigned URL without `X-Amz-Expires` lives as long as botocore's default.
    public static let defaultExpiresSeconds: Int64 = 900
    /// The one header every signature must cover, so it cannot be replayed at another host.
    static let hostHeader = "host"
    static let s3Service = "s3"

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
        /// What the signature says of the body: `.sha256` when the body itself is signed
        /// (computed here, or declared and checked), else the S3 mode it was sent in.
        public var contentHash: SigV4ContentHash
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
        /// `X-Amz-Date` (or `Date`) is not a real date in its format; the value as sent.
        case malformedDate(String, presigned: Bool)
        /// A presigned URL's `X-Amz-Expires` is not a number of seconds from 0 to a week.
        case malformedExpires(String)
        /// The credential scope's date is not the day of `X-Amz-Date`.
        case credentialDateMismatch(scopeDate: String, amzDate: String, presigned: Bool)
        /// `host` is not among the signed headers.
        case hostNotSigned(presigned: Bool)
        /// S3: `X-Amz-Content-SHA256` is neither a hash nor a known mode.
        case invalidContentSHA256(String)
        /// S3: the body is not the one whose hash was signed.
        case contentSHA256Mismatch(declared: String, computed: String)
    }

    /// - Parameters:
    ///   - now: seconds since the epoch, from the server's clock.
    public func verify(_ request: HTTPRequestParts, body: [UInt8], now: Int64) throws(Failure) -> Verified {
        let auth = try authorization(of: request)
        let (amzDate, requestTime) = try requestTime(of: request, auth)
        if auth.isPresigned {
            let lifetime = try Self.expires(auth.expiresParameter)
            if checkClockSkew { try checkPresignedTime(requestTime, amzDate: amzDate, lifetime: lifetime, now: now) }
        } else if checkClockSkew {
            try checkSkew(requestTime, amzDate: amzDate, now: now)
        }
        guard auth.signedHeaders.contains(where: { $0.lowercased() == Self.hostHeader }) else { throw .hostNotSigned(presigned: auth.isPresigned) }
        guard amzDate.utf8.prefix(8).elementsEqual(auth.date.utf8), auth.date.utf8.count == 8 else {
            throw .credentialDateMismatch(scopeDate: auth.date, amzDate: amzDate, presigned: auth.isPresigned)
        }
        guard let secret = secretFor(auth.accessKeyId) else { throw .unknownAccessKey(auth.accessKeyId) }

        let (payloadHash, contentHash) = try payload(of: request, auth, body: body)
        let canonical = SigV4.canonicalRequest(
            method: request.method, path: request.path, query: request.query, headers: request.headers,
            signedHeaders: auth.signedHeaders, payloadHash: payloadHash, pathMode: SigV4.pathMode(forService: auth.service),
            excludingQuery: auth.isPresigned ? ["X-Amz-Signature"] : [])
        let sts = SigV4.stringToSign(amzDate: amzDate, scope: auth.scope, canonicalRequest: canonical)
        let key = SigV4.signingKey(secret: secret, date: auth.date, region: auth.region, service: auth.service)
        guard Digest.constantTimeEqual(SigV4.signature(key: key, stringToSign: sts), auth.signature.lowercased()) else {
            throw .signatureMismatch(canonicalRequest: canonical, stringToSign: sts)
        }
        // S3 reads the body after the signature checks out, and only then finds it is not the
        // one that was signed.
        if case .sha256(let declared) = contentHash {
            let computed = Digest.sha256Hex(body)
            guard computed == declared else { throw .contentSHA256Mismatch(declared: payloadHash, computed: computed) }
        }
        return Verified(authorization: auth, amzDate: amzDate, signingKey: key, contentHash: contentHash)
    }

    /// The `Authorization` header or the presigned query, parsed.
    func authorization(of request: HTTPRequestParts) throws(Failure) -> SigV4Authorization {
        let header = request.header("Authorization")
        let queryItems = URIEncoding.queryItems(request.query)
        guard header != nil || queryItems.contains(where: { $0.name == "X-Amz-Algorithm" }) else { throw .missingAuthentication }
        do throws(SigV4Authorization.ParseError) {
            if let header { return try SigV4Authorization.parse(header: header) }
            return try SigV4Authorization.parse(query: queryItems)
        } catch {
            switch error {
            case .notSigV4: throw .incompleteSignature("Authorization header requires a supported signature algorithm.")
            case .missing(let name): throw .incompleteSignature("Authorization header requires '\(name)' parameter.")
            case .malformedCredential(let credential):
                throw .incompleteSignature("Credential should be scoped to a valid region. '\(credential)'")
            }
        }
    }

    /// `X-Amz-Date` (the query's for a presigned URL), else the `Date` header, as an
    /// `X-Amz-Date` and in seconds. A value that is there but is not a date is refused, never
    /// skipped.
    func requestTime(of request: HTTPRequestParts, _ auth: SigV4Authorization) throws(Failure) -> (String, Int64) {
        if let amzDate = auth.amzDate ?? request.header("X-Amz-Date") {
            guard let seconds = SigV4RequestTime.epochSeconds(amzDate: amzDate) else { throw .malformedDate(amzDate, presigned: auth.isPresigned) }
            return (amzDate, seconds)
        }
        guard let date = request.header("Date") else {
            throw .incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard let amzDate = SigV4RequestTime.amzDate(httpDate: date), let seconds = SigV4RequestTime.epochSeconds(amzDate: amzDate) else {
            throw .malformedDate(date, presigned: false)
        }
        return (amzDate, seconds)
    }

    /// A presigned URL's lifetime: whole seconds, 0 to a week, as S3 words its refusals.
    static func expires(_ parameter: String?) throws(Failure) -> Int64 {
        guard let parameter else { return defaultExpiresSeconds }
        let digits = parameter.hasPrefix("-") ? parameter.dropFirst() : Substring(parameter)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .malformedExpires("X-Amz-Expires should be a number")
        }
        if parameter.hasPrefix("-") { throw .malformedExpires("X-Amz-Expires must be non-negative") }
        guard let seconds = Int64(digits), seconds <= maximumExpiresSeconds else {
            throw .malformedExpires("X-Amz-Expires must be less than a week (in seconds) that is \(maximumExpiresSeconds)")
        }
        return seconds
    }

    func checkPresignedTime(_ requestTime: Int64, amzDate: String, lifetime: Int64, now: Int64) throws(Failure) {
        if now > requestTime + lifetime { throw .presignedExpired }
        if requestTime - now > Self.allowedSkewSeconds {
            throw .notYetCurrent(
                requestTime: amzDate, now: AWSTimestamp.amzDate(epochSeconds: now),
                latest: AWSTimestamp.amzDate(epochSeconds: now + Self.allowedSkewSeconds))
        }
    }

    func checkSkew(_ requestTime: Int64, amzDate: String, now: Int64) throws(Failure) {
        if now - requestTime > Self.allowedSkewSeconds {
            throw .expired(
                requestTime: amzDate, now: AWSTimestamp.amzDate(epochSeconds: now - Self.allowedSkewSeconds),
                earliest: AWSTimestamp.amzDate(epochSeconds: now))
        } else if requestTime - now > Self.allowedSkewSeconds {
            throw .notYetCurrent(
                requestTime: amzDate, now: AWSTimestamp.amzDate(epochSeconds: now + Self.allowedSkewSeconds),
                latest: AWSTimestamp.amzDate(epochSeconds: now))
        }
    }

    /// The payload hash to put in the canonical request, and what it says of the body.
    func payload(of request: HTTPRequestParts, _ auth: SigV4Authorization, body: [UInt8]) throws(Failure) -> (String, SigV4ContentHash) {
        guard auth.service == Self.s3Service else {
            let computed = Digest.sha256Hex(body)
            return (computed, .sha256(computed))
        }
        if let declared = request.header("X-Amz-Content-SHA256") {
            guard let mode = SigV4ContentHash(header: declared) else { throw .invalidContentSHA256(declared) }
            return (declared, mode)
        }
        if auth.isPresigned { return (SigV4ContentHash.unsignedPayloadValue, .unsignedPayload) }
        let computed = Digest.sha256Hex(body)
        return (computed, .sha256(computed))
    }
}
