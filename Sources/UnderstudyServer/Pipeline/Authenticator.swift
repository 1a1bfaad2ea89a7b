import AWSWire
import JSONCore
import ServiceKit

public enum AuthMode: String, Sendable, CaseIterable {
    /// Accept anything; the account comes from a 12-digit access key id, the region from the
    /// SigV4 scope.
    case lenient
    /// Verify SigV4 and Bedrock bearer tokens against configured credentials.
    case strict
    /// Ignore authentication entirely: every caller is the default account in us-east-1.
    case off
}

/// The Authenticate stage: who is calling, or the service's own refusal.
public struct Authenticator: Sendable {
    public var mode: AuthMode
    public var credentials: [String: String]
    public var bearerTokens: Set<String>
    public let clock: any ServerClock

    public init(mode: AuthMode, credentials: [SigV4Credentials], bearerTokens: [String], clock: any ServerClock) {
        self.mode = mode
        var map: [String: String] = [:]
        for c in credentials { map[c.accessKeyId] = c.secretAccessKey }
        self.credentials = map
        self.bearerTokens = Set(bearerTokens)
        self.clock = clock
    }

    public func authenticate(_ request: ServiceRequest) -> Result<Caller, AWSServiceError> {
        switch mode {
        case .off: return .success(.anonymous)
        case .lenient: return .success(lenientCaller(request))
        case .strict: return strict(request)
        }
    }

    static func account(forAccessKey key: String?) -> String {
        guard let key, key.utf8.count == 12, key.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return Caller.defaultAccount }
        return key
    }

    func lenientCaller(_ request: ServiceRequest) -> Caller {
        guard let auth = sigV4Authorization(request) else { return .anonymous }
        let region = auth.region.isEmpty ? Caller.defaultRegion : auth.region
        return Caller(account: Self.account(forAccessKey: auth.accessKeyId), region: region, accessKeyId: auth.accessKeyId)
    }

    func sigV4Authorization(_ request: ServiceRequest) -> SigV4Authorization? {
        if let header = request.header("Authorization") { return try? SigV4Authorization.parse(header: header) }
        if !request.query.isEmpty, request.query.utf8.firstRange(of: "X-Amz-Credential".utf8) != nil { return try? SigV4Authorization.parse(query: request.queryItems) }
        return nil
    }

    func strict(_ request: ServiceRequest) -> Result<Caller, AWSServiceError> {
        let service = request.service
        if let header = request.header("Authorization"), header.hasPrefix("Bearer ") {
            guard service == .bedrock || service == .bedrockRuntime else { return .failure(AuthErrors.unrecognizedClient(service)) }
            let token = header.dropFirst(7).trimmedSpaces
            guard bearerTokens.contains(token) else { return .failure(AuthErrors.invalidBearerToken()) }
            return .success(Caller(account: Caller.defaultAccount, region: Caller.defaultRegion, accessKeyId: nil))
        }
        let verifier = SigV4Verifier { [credentials] key in credentials[key] }
        do {
            let verified = try verifier.verify(request.parts, body: request.body, now: clock.nowSeconds())
            let auth = verified.authorization
            if let mode = request.header("x-amz-content-sha256"), mode.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
                // Each chunk (and the trailer) is signed along a chain from the seed signature.
                let chain = SigV4ChunkChain(signingKey: verified.signingKey, amzDate: verified.amzDate, scope: auth.scope, seedSignature: auth.signature)
                guard let decoded = try? AWSChunkedBody(decoding: request.body), decoded.verify(chain: chain) else {
                    return .failure(AuthErrors.error(for: .signatureMismatch(canonicalRequest: "", stringToSign: ""), service: service, accessKeyId: auth.accessKeyId))
                }
            }
            return .success(Caller(account: Self.account(forAccessKey: auth.accessKeyId), region: auth.region, accessKeyId: auth.accessKeyId))
        } catch {
            return .failure(AuthErrors.error(for: error, service: service, accessKeyId: sigV4Authorization(request)?.accessKeyId))
        }
    }
}

/// Authentication refusals as each service sends them: Coral codes for Step Functions (400)
/// and Bedrock (403 from its front door), S3's XML codes.
public enum AuthErrors {
    static let mismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    static func status(_ service: AWSService) -> Int { service == .states ? 400 : 403 }
    static func namespace(_ service: AWSService) -> String? { service == .states ? ServiceErrors.coralService : nil }

    public static func unrecognizedClient(_ service: AWSService) -> AWSServiceError {
        AWSServiceError(
            code: "UnrecognizedClientException", message: "The security token included in the request is invalid.",
            status: status(service), namespace: namespace(service))
    }

    public static func invalidBearerToken() -> AWSServiceError {
        AWSServiceError(code: "UnrecognizedClientException", message: "The security token included in the request is invalid.", status: 403)
    }

    public static func error(for failure: SigV4Verifier.Failure, service: AWSService, accessKeyId: String?) -> AWSServiceError {
        if service == .s3 { return s3Error(for: failure, accessKeyId: accessKeyId) }
        switch failure {
        case .missingAuthentication:
            return AWSServiceError(
                code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: status(service),
                namespace: namespace(service))
        case .incompleteSignature(let message):
            return AWSServiceError(code: "IncompleteSignatureException", message: message, status: status(service), namespace: namespace(service))
        case .unknownAccessKey:
            return unrecognizedClient(service)
        case .signatureMismatch:
            return AWSServiceError(code: "InvalidSignatureException", message: mismatchMessage, status: status(service), namespace: namespace(service))
        case .expired(let requestTime, let now, let earliest):
            return AWSServiceError(
                code: "InvalidSignatureException",
                message: "Signature expired: \(requestTime) is now earlier than \(now) (\(earliest) - 15 min.)",
                status: status(service), namespace: namespace(service))
        case .notYetCurrent(let requestTime, let now, let latest):
            return AWSServiceError(
                code: "InvalidSignatureException",
                message: "Signature not yet current: \(requestTime) is still later than \(now) (\(latest) + 15 min.)",
                status: status(service), namespace: namespace(service))
        case .presignedExpired:
            return AWSServiceError(code: "InvalidSignatureException", message: "Signature expired", status: status(service), namespace: namespace(service))
        }
    }

    static func s3Error(for failure: SigV4Verifier.Failure, accessKeyId: String?) -> AWSServiceError {
        switch failure {
        case .missingAuthentication:
            return AWSServiceError(code: "AccessDenied", message: "Access Denied", status: 403)
        case .incompleteSignature(let message):
            return AWSServiceError(code: "AuthorizationHeaderMalformed", message: message, status: 400)
        case .unknownAccessKey(let key):
            return AWSServiceError(
                code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.", status: 403,
                extraMembers: JSONObject([("AWSAccessKeyId", .string(key))]))
        case .signatureMismatch(let canonical, let sts):
            return AWSServiceError(
                code: "SignatureDoesNotMatch",
                message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                status: 403,
                extraMembers: JSONObject([
                    ("AWSAccessKeyId", .string(accessKeyId ?? "")), ("StringToSign", .string(sts)), ("CanonicalRequest", .string(canonical)),
                ]))
        case .expired, .notYetCurrent:
            return AWSServiceError(code: "RequestTimeTooSkewed", message: "The difference between the request time and the current time is too large.", status: 403)
        case .presignedExpired:
            return AWSServiceError(code: "AccessDenied", message: "Request has expired", status: 403)
        }
    }
}

extension Authenticator: DispatchStage {
    /// Over HTTP a call must authenticate (the caller it finds is who the call acts as); a
    /// Task's call acts as its execution's account and region already.
    public func admit(_ operation: inout ServiceCall) -> Admission {
        guard operation.origin == .http else { return .proceed }
        switch authenticate(operation.request) {
        case .success(let caller):
            operation.caller = caller
            return .proceed
        case .failure(let error):
            return .answer(.failure(error))
        }
    }
}
