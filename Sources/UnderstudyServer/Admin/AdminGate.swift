import AWSWire
import JSONCore
import RequestStages
import ServiceKit

/// Who may use the admin API, and from where.
///
/// The admin API reads every caller's execution inputs and the journal, injects faults and
/// resets everything (`--data-dir` included), so:
///
/// - **Browsers only from the server's own origin, in every auth mode.** A page on any other
///   origin can send a "simple" request (a form POST, `fetch` with `no-cors` and `text/plain`)
///   without a CORS preflight; the browser labels it with `Origin` and `Sec-Fetch-Site`, and
///   those are refused unless they name this server (`same-origin`, `none`, or an `Origin` of
///   `http://` + its own `Host`, where the console is served from). A browser request whose
///   `Host` is a DNS name other than localhost or the configured address is refused too: DNS
///   rebinding makes an attacker's page same-origin under a name that resolves to 127.0.0.1.
/// - **A browser's state-changing calls carry a JSON content type.** No simple request can, so
///   even a browser too old to label a cross-origin POST with `Origin` cannot change anything.
///   Local tools (curl, urllib, SDK scripts) send no browser marks and keep whatever type
///   their library picks (urllib's is `application/x-www-form-urlencoded`).
/// - **In strict mode, a caller proves who it is:** SigV4 by a configured credential (any
///   service name in the scope; the body must be signed) or `Authorization: Bearer` with
///   `admin.token`. Lenient and off stay open to local tools.
///
/// The health check stays open: container health checks call it with nothing but curl.
/// See https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#simple_requests and
/// https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Sec-Fetch-Site
struct AdminGate: Sendable {
    let mode: AuthMode
    let credentials: [String: String]
    let token: String?
    /// The configured address to bind, which a browser may use as the `Host` it calls.
    let bindHost: String
    let clock: any ServerClock

    /// Routes that need nothing, whatever the mode.
    static let openRoutes: Set<String> = ["health"]
    static let stateChangingMethods: Set<String> = ["POST", "PUT", "DELETE", "PATCH"]
    /// `Sec-Fetch-Site` values a browser sends for this server's own pages, or for a request
    /// the user made (typed URL, bookmark).
    static let sameSiteValues: Set<String> = ["same-origin", "none"]
    static let bearerPrefix = "Bearer "

    /// The admin API's refusals: its own codes, in its JSON error shape.
    enum Code: String {
        case crossOrigin = "CrossOriginRequestRefused"
        case unsupportedMediaType = "UnsupportedMediaType"
        case accessDenied = "AccessDenied"
    }

    init(configuration: ServerConfiguration, clock: any ServerClock) {
        mode = configuration.authMode
        var map: [String: String] = [:]
        for c in configuration.credentials { map[c.accessKeyId] = c.secretAccessKey }
        credentials = map
        token = configuration.adminToken
        bindHost = configuration.host
        self.clock = clock
    }

    /// Why the request may not go on, or nil when it may.
    func refusal(_ request: ServiceRequest, route: String) -> AWSServiceError? {
        guard !Self.openRoutes.contains(route) else { return nil }
        if let reason = crossOriginReason(request) {
            return AWSServiceError(
                code: Code.crossOrigin.rawValue,
                message: "The admin API refuses requests from web pages on other origins (\(reason)); call it from a local tool or from the server's own origin.",
                status: 403)
        }
        if mode == .strict, let error = unauthenticated(request) { return error }
        if Self.stateChangingMethods.contains(request.method), !Self.isJSON(request.header("Content-Type")), Self.isFromBrowser(request) {
            return AWSServiceError(
                code: Code.unsupportedMediaType.rawValue,
                message: "\(request.method) on the admin API needs Content-Type: application/json (a browser cannot send it across origins).",
                status: 415)
        }
        return nil
    }

    // MARK: - Origin

    /// What marks the request as a browser's from another origin, or nil when nothing does.
    func crossOriginReason(_ request: ServiceRequest) -> String? {
        let site = request.header("Sec-Fetch-Site")
        let origin = request.header("Origin")
        guard site != nil || origin != nil else { return nil }
        if let site, !Self.sameSiteValues.contains(site.lowercased()) { return "Sec-Fetch-Site: \(site)" }
        guard let host = request.header("Host"), isTrusted(hostName: Self.hostName(host)) else {
            return "Host: \(request.header("Host") ?? "none")"
        }
        if let origin, origin.lowercased() != "http://" + host.lowercased() { return "Origin: \(origin)" }
        return nil
    }

    /// The host part of a `Host` header (`[::1]:4566` → `[::1]`, `localhost:4566` → `localhost`).
    static func hostName(_ host: String) -> Substring {
        let trimmed = Substring(host.trimmedSpaces)
        if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") { return trimmed[...close] }
        return trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? trimmed
    }

    /// A name no attacker can point at this server: an IP literal, localhost (browsers resolve
    /// it to loopback themselves), or the address the server was told to bind.
    func isTrusted(hostName: Substring) -> Bool {
        let name = hostName.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { return true }
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        if Self.isIPv4(name) { return true }
        let bound = bindHost.lowercased()
        return name == bound || name == "[\(bound)]"
    }

    static func isIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && Int(part)! <= 255
        }
    }

    /// A browser marks what it sends: `Origin` on every cross-origin request and every POST,
    /// `Sec-Fetch-*` on everything, and a `User-Agent` that begins `Mozilla/`.
    static func isFromBrowser(_ request: ServiceRequest) -> Bool {
        if request.header("Origin") != nil || request.header("Sec-Fetch-Site") != nil || request.header("Sec-Fetch-Mode") != nil { return true }
        return request.header("User-Agent")?.hasPrefix("Mozilla/") == true
    }

    /// `application/json`, or any `+json` type: none of them is a simple request's type.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = (contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmedSpaces.lowercased()
        return media == RestJSON1.contentType || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    // MARK: - Strict mode

    /// The refusal for a caller that is neither signed by a configured credential nor holding
    /// the admin token.
    func unauthenticated(_ request: ServiceRequest) -> AWSServiceError? {
        let reason: String
        if let header = request.header("Authorization"), header.hasPrefix(Self.bearerPrefix) {
            let presented = header.dropFirst(Self.bearerPrefix.count).trimmedSpaces
            if let token, Digest.constantTimeEqual(presented, token) { return nil }
            reason = token == nil ? "no admin token is configured" : "the bearer token is not the admin token"
        } else if request.header("Authorization") != nil || request.query.contains("X-Amz-Algorithm") {
            let verifier = SigV4Verifier { [credentials] key in credentials[key] }
            do throws(SigV4Verifier.Failure) {
                let verified = try verifier.verify(request.parts, body: request.body, now: clock.nowSeconds())
                // A signature that leaves the body out would let a captured request be
                // replayed with another body.
                guard case .sha256 = verified.contentHash else {
                    return denied("the signature does not cover the body (X-Amz-Content-SHA256: \(request.header("X-Amz-Content-SHA256") ?? ""))")
                }
                return nil
            } catch {
                let refusal = AuthErrors.error(for: error, service: .admin, accessKeyId: nil)
                reason = "the signature was refused: \(refusal.code): \(refusal.message ?? "")"
            }
        } else {
            reason = "the request is neither signed nor carries a token"
        }
        return denied(reason)
    }

    func denied(_ reason: String) -> AWSServiceError {
        var required: [JSONValue] = ["a SigV4 signature (body included) by one of the configured credentials, any service name in the scope"]
        required.append(
            token == nil
                ? "or Authorization: Bearer TOKEN once admin.token (--admin-token, UNDERSTUDY_ADMIN_TOKEN) is set"
                : "or Authorization: Bearer TOKEN with admin.token")
        return AWSServiceError(
            code: Code.accessDenied.rawValue,
            message: "In strict auth mode the admin API needs a request signed with configured credentials or the admin token; \(reason).",
            status: 403, extraMembers: JSONObject([("required", .array(required))]))
    }
}
