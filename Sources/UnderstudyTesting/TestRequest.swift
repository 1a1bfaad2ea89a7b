public import AWSWire
public import JSONCore

/// A request as a test writes it: the service it is for (which names the SigV4 scope), the
/// method and target, headers and body. The server's client signs it.
public struct TestRequest: Sendable {
    public var service: AWSService
    public var method: String
    /// Path and query, already encoded (`/model/m/invoke`, `/bucket/key?list-type=2`).
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Who signs it, and how; by default the server's client, as `credentials` in `region`.
    public var signing: Signing

    /// How a request is signed.
    public enum Signing: Sendable {
        /// With the test server's credentials and region, at the server's time, in the
        /// request's service's scope.
        case server
        /// Not at all (a health check, a browser, a client without credentials).
        case unsigned
        /// With other credentials, and optionally another region, scope service name
        /// (`understudy` for the admin API) or signing time in seconds since the epoch (a
        /// stale signature).
        case signed(by: SigV4Credentials, region: String? = nil, scope: String? = nil, at: Int64? = nil)
    }

    public init(
        service: AWSService, method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        signing: Signing = .server
    ) {
        self.service = service
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.signing = signing
    }

    /// The same request signed another way.
    public func signed(_ signing: Signing) -> TestRequest {
        var copy = self
        copy.signing = signing
        return copy
    }

    /// An awsJson1_0 call of Step Functions (`X-Amz-Target: AWSStepFunctions.<operation>`).
    public static func stepFunctions(_ operation: String, _ input: JSONValue) -> TestRequest {
        TestRequest(
            service: .states, method: "POST", target: "/",
            headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AWSStepFunctions.\(operation)")],
            body: input.jsonBytes)
    }

    /// A restJson1 call with a JSON body.
    public static func json(_ service: AWSService, _ method: String, _ target: String, _ body: JSONValue) -> TestRequest {
        TestRequest(service: service, method: method, target: target, headers: [("Content-Type", "application/json")], body: body.jsonBytes)
    }
}
