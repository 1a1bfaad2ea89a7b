public import AWSWire
import JSONCore

/// One request after the HTTP layer: raw path and query as sent, headers in order, the whole
/// body, and what the pipeline learned about it (service, caller, attempt).
public struct ServiceRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var requestId: String
    public var service: AWSService
    public var caller: Caller

    public init(
        method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8],
        requestId: String, service: AWSService, caller: Caller = .anonymous
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.requestId = requestId
        self.service = service
        self.caller = caller
    }

    public func header(_ name: String) -> String? {
        for h in headers where h.name.utf8.count == name.utf8.count && Self.asciiCaseInsensitiveEqual(h.name, name) { return h.value }
        return nil
    }

    static func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
        var i = b.utf8.makeIterator()
        for x in a.utf8 {
            guard let y = i.next() else { return false }
            if x != y, x | 0x20 != y | 0x20 || !((x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) { return false }
        }
        return i.next() == nil
    }

    public var parts: HTTPRequestParts { HTTPRequestParts(method: method, path: path, query: query, headers: headers) }

    /// Decoded path segments (split before decoding, wire.md §2.4).
    public var pathSegments: [String] { URIEncoding.pathSegments(path) }

    public var queryItems: [(name: String, value: String)] { URIEncoding.queryItems(query) }

    public func queryValue(_ name: String) -> String? { queryItems.first(where: { $0.name == name })?.value }

    /// The SDK's attempt number from `amz-sdk-request: attempt=N; max=M`.
    public var sdkAttempt: Int? {
        guard let value = header("amz-sdk-request") else { return nil }
        for part in value.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map(\.trimmedSpaces)
            if kv.count == 2, kv[0] == "attempt" { return Int(kv[1]) }
        }
        return nil
    }
}

/// Who is calling: every piece of state is keyed by (account, region).
public struct Caller: Sendable, Equatable {
    public var account: String
    public var region: String
    public var accessKeyId: String?

    public static let defaultAccount = "000000000000"
    public static let defaultRegion = "us-east-1"
    public static let anonymous = Caller(account: defaultAccount, region: defaultRegion, accessKeyId: nil)

    public init(account: String, region: String, accessKeyId: String?) {
        self.account = account
        self.region = region
        self.accessKeyId = accessKeyId
    }
}

