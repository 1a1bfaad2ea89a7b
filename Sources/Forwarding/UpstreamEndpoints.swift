public import AWSWire

/// Which upstream a call goes to: a URL configured for its service, else one configured for
/// all, else the real AWS endpoint for the service, operation and region.
///
/// The real hosts are the ones botocore's endpoint rules and models give for the standard
/// (not FIPS, not dual-stack) endpoints: `bedrock-runtime.{region}.{suffix}` and
/// `bedrock.{region}.{suffix}`, `states.{region}.{suffix}` with the `sync-` host prefix of the
/// two operations whose model carries `endpoint.hostPrefix` (StartSyncExecution and TestState,
/// stepfunctions 2016-11-23), and `s3.{region}.{suffix}` addressed path-style (the suffix from
/// botocore's partitions: `amazonaws.com`, `amazonaws.com.cn` for `cn-*`, …). A configured URL
/// is used as written: no `sync-` prefix, since a test server or gateway on one name answers
/// every operation.
public struct UpstreamEndpoints: Sendable {
    /// For every service without one of its own.
    public var all: UpstreamEndpoint?
    public var perService: [AWSService: UpstreamEndpoint]

    public init(all: UpstreamEndpoint? = nil, perService: [AWSService: UpstreamEndpoint] = [:]) {
        self.all = all
        self.perService = perService
    }

    /// Operations whose model has `"endpoint": {"hostPrefix": "sync-"}`.
    static let syncOperations: Set<String> = ["StartSyncExecution", "TestState"]

    public func endpoint(service: AWSService, operation: String, region: String) throws(ForwardingError) -> UpstreamEndpoint {
        guard service != .admin else { throw .notForwardable(service) }
        if let configured = perService[service] ?? all { return configured }
        return UpstreamEndpoint(scheme: .https, host: try Self.awsHost(service: service, operation: operation, region: region))
    }

    /// The AWS host name for the call. The region comes from the client's signature, so it is
    /// checked before it becomes part of a host name (botocore's rule for region names).
    public static func awsHost(service: AWSService, operation: String, region: String) throws(ForwardingError) -> String {
        guard isValidRegion(region) else { throw .invalidRegion(region) }
        let suffix = dnsSuffix(region: region)
        switch service {
        case .bedrockRuntime: return "bedrock-runtime.\(region).\(suffix)"
        case .bedrock: return "bedrock.\(region).\(suffix)"
        case .states: return (syncOperations.contains(operation) ? "sync-states" : "states") + ".\(region).\(suffix)"
        case .s3: return "s3.\(region).\(suffix)"
        case .admin: throw .notForwardable(service)
        }
    }

    /// `^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`, as botocore validates `region_name`.
    public static func isValidRegion(_ region: String) -> Bool {
        let bytes = Array(region.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        func alphanumeric(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
        }
        guard alphanumeric(bytes[0]), alphanumeric(bytes[bytes.count - 1]) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// The partition's DNS suffix for a region (botocore's partitions.json: each partition's
    /// `regionRegex` and `dnsSuffix`), the commercial one when no other matches.
    public static func dnsSuffix(region: String) -> String {
        let prefixes: [(String, String)] = [
            ("cn-", "amazonaws.com.cn"),
            ("eusc-de-", "amazonaws.eu"),
            ("us-isob-", "sc2s.sgov.gov"),
            ("us-isof-", "csp.hci.ic.gov"),
            ("us-iso-", "c2s.ic.gov"),
            ("eu-isoe-", "cloud.adc-e.uk"),
        ]
        return prefixes.first { region.hasPrefix($0.0) }?.1 ?? "amazonaws.com"
    }
}
