public import AWSWire
import JSONCore
public import ServiceKit

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
            if verified.contentHash.hasChunkSignatures {
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
