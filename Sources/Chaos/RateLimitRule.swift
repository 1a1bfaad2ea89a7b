public import Determinism
public import JSONCore

/// One API rate limit, a token bucket per (account, region) as AWS throttles its control
/// planes, from the config's `rateLimits` section or `POST /_understudy/rate-limits`:
///
/// ```json
/// {"service": "states", "operation": "StartExecution", "stateMachineType": "STANDARD",
///  "bucketSize": 1300, "refillPerSecond": 300}
/// ```
/// `operation` is a glob; `stateMachineType` (STANDARD or EXPRESS) narrows a Step Functions
/// rule to executions of that type; `regions` narrows it to those regions. The first matching
/// rule meters a call, so a narrow rule placed first overrides a broad one.
public struct RateLimitRule: Sendable, NamedRule {
    public var name: String
    public var service: String
    public var operation: WildcardPattern
    public var stateMachineType: String?
    public var regions: [String]?
    public var bucketSize: Int
    public var refillPerSecond: Double
    public var source: JSONValue

    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let services = ["states", "bedrock", "bedrock-runtime", "s3"]
    /// Far above any AWS bucket (the largest is 6,000), and small enough for exact doubles.
    public static let maximumBucketSize = 1_000_000_000
    public static let maximumRefillPerSecond: Double = 1_000_000_000

    public init(json: JSONValue) throws(Invalid) {
        guard case .object(let o) = json else { throw Invalid(description: "a rate limit must be an object") }
        let known = ["name", "service", "operation", "stateMachineType", "regions", "bucketSize", "refillPerSecond"]
        for key in o.keys where !known.contains(key) { throw Invalid(description: "unknown key '\(key)' in rate limit") }
        guard let service = o["service"]?.stringValue, Self.services.contains(service) else {
            throw Invalid(description: "a rate limit needs a 'service' (\(Self.services.joined(separator: ", ")))")
        }
        guard let operation = o["operation"]?.stringValue, !operation.isEmpty else { throw Invalid(description: "a rate limit needs an 'operation' (name or glob)") }
        var name = o["name"]?.stringValue ?? "\(service):\(operation)"
        if let type = o["stateMachineType"] {
            guard let text = type.stringValue, ["STANDARD", "EXPRESS"].contains(text) else {
                throw Invalid(description: "rate limit '\(name)': stateMachineType must be STANDARD or EXPRESS")
            }
            if o["name"] == nil { name += ":\(text)" }
        }
        if let list = o["regions"] {
            guard let items = list.arrayValue, !items.isEmpty, items.allSatisfy({ $0.stringValue != nil }) else {
                throw Invalid(description: "rate limit '\(name)': regions must be a non-empty list of region names")
            }
        }
        guard let size = o["bucketSize"]?.intValue, (1...Self.maximumBucketSize).contains(size) else {
            throw Invalid(description: "rate limit '\(name)': bucketSize must be a whole number from 1 to \(Self.maximumBucketSize)")
        }
        guard let refill = o["refillPerSecond"]?.doubleValue, refill > 0, refill <= Self.maximumRefillPerSecond else {
            throw Invalid(description: "rate limit '\(name)': refillPerSecond must be a number above 0 and at most \(Int(Self.maximumRefillPerSecond))")
        }
        self.init(
            name: name, service: service, operation: operation, stateMachineType: o["stateMachineType"]?.stringValue,
            regions: o["regions"]?.arrayValue?.compactMap(\.stringValue), bucketSize: size, refillPerSecond: refill)
        source = json
    }

    /// A rule built in code (presets); `source` says what the JSON form would.
    init(name: String, service: String, operation: String, stateMachineType: String?, regions: [String]?, bucketSize: Int, refillPerSecond: Double) {
        self.name = name
        self.service = service
        self.operation = WildcardPattern(operation)
        self.stateMachineType = stateMachineType
        self.regions = regions
        self.bucketSize = bucketSize
        self.refillPerSecond = refillPerSecond
        var o = JSONObject()
        o["name"] = .string(name)
        o["service"] = .string(service)
        o["operation"] = .string(operation)
        if let stateMachineType { o["stateMachineType"] = .string(stateMachineType) }
        if let regions { o["regions"] = .array(regions.map { .string($0) }) }
        o["bucketSize"] = JSONValue(bucketSize)
        o["refillPerSecond"] = JSONValue(refillPerSecond)
        source = .object(o)
    }

    func matches(service: String, operation: String, stateMachineType: String?, region: String) -> Bool {
        guard service == self.service, self.operation.matches(operation) else { return false }
        if let wanted = self.stateMachineType, wanted != stateMachineType { return false }
        if let regions, !regions.contains(region) { return false }
        return true
    }
}
