/// A named set of API rate limits: `rateLimits: realistic` in the config, or
/// `POST /_understudy/rate-limits {"preset": "realistic"}`.
public enum RateLimitPreset: String, Sendable, CaseIterable {
    /// Step Functions' published API throttling quotas (token buckets per account and region):
    /// the larger buckets in US East (N. Virginia), US West (Oregon) and Europe (Ireland), the
    /// smaller ones elsewhere; StartExecution has separate Standard and Express buckets.
    /// StartSyncExecution is not in the table: AWS scales it on demand.
    case realistic

    static let largeRegions = ["us-east-1", "us-west-2", "eu-west-1"]

    /// (operation, bucket, refill per second in the large regions, then elsewhere).
    static let stepFunctions: [(String, Int, Double, Int, Double)] = [
        ("CreateActivity", 100, 1, 100, 1), ("CreateStateMachine", 100, 1, 100, 1), ("CreateStateMachineAlias", 100, 1, 100, 1),
        ("DeleteActivity", 100, 1, 100, 1), ("DeleteStateMachine", 100, 1, 100, 1), ("DeleteStateMachineAlias", 100, 1, 100, 1),
        ("DeleteStateMachineVersion", 100, 1, 100, 1), ("DescribeActivity", 200, 1, 200, 1), ("DescribeExecution", 300, 15, 250, 10),
        ("DescribeMapRun", 200, 1, 200, 1), ("DescribeStateMachine", 200, 20, 200, 20), ("DescribeStateMachineAlias", 200, 1, 200, 1),
        ("DescribeStateMachineForExecution", 200, 1, 200, 1), ("GetActivityTask", 3_000, 500, 1_500, 300),
        ("GetExecutionHistory", 400, 20, 400, 20), ("ListActivities", 100, 10, 100, 5), ("ListExecutions", 200, 5, 100, 2),
        ("ListMapRuns", 100, 1, 100, 1), ("ListStateMachineAliases", 100, 1, 100, 1), ("ListStateMachines", 100, 5, 100, 5),
        ("ListStateMachineVersions", 100, 1, 100, 1), ("ListTagsForResource", 100, 1, 100, 1), ("PublishStateMachineVersion", 100, 1, 100, 1),
        ("RedriveExecution", 1_300, 300, 800, 150), ("SendTaskFailure", 3_000, 500, 1_500, 300), ("SendTaskHeartbeat", 3_000, 500, 1_500, 300),
        ("SendTaskSuccess", 3_000, 500, 1_500, 300), ("StopExecution", 1_000, 200, 500, 25), ("TagResource", 200, 1, 200, 1),
        ("TestState", 50, 10, 50, 10), ("UntagResource", 200, 1, 200, 1), ("UpdateMapRun", 100, 1, 100, 1),
        ("UpdateStateMachine", 100, 1, 100, 1), ("UpdateStateMachineAlias", 100, 1, 100, 1), ("ValidateStateMachineDefinition", 100, 1, 100, 1),
    ]

    public var rules: [RateLimitRule] {
        var rules: [RateLimitRule] = []
        func add(_ name: String, _ operation: String, type: String? = nil, regions: [String]? = nil, bucket: Int, refill: Double) {
            rules.append(
                RateLimitRule(
                    name: "\(rawValue)/\(name)", service: "states", operation: operation, stateMachineType: type, regions: regions, bucketSize: bucket,
                    refillPerSecond: refill))
        }
        add("StartExecution:STANDARD", "StartExecution", type: "STANDARD", regions: Self.largeRegions, bucket: 1_300, refill: 300)
        add("StartExecution:STANDARD:other-regions", "StartExecution", type: "STANDARD", bucket: 800, refill: 150)
        add("StartExecution:EXPRESS", "StartExecution", type: "EXPRESS", bucket: 6_000, refill: 6_000)
        for (operation, bucket, refill, otherBucket, otherRefill) in Self.stepFunctions {
            if bucket == otherBucket && refill == otherRefill {
                add(operation, operation, bucket: bucket, refill: refill)
            } else {
                add(operation, operation, regions: Self.largeRegions, bucket: bucket, refill: refill)
                add("\(operation):other-regions", operation, bucket: otherBucket, refill: otherRefill)
            }
        }
        return rules
    }

    public static func named(_ name: String) throws(RateLimitRule.Invalid) -> RateLimitPreset {
        guard let preset = RateLimitPreset(rawValue: name) else {
            throw RateLimitRule.Invalid(description: "unknown rate limit preset '\(name)' (known: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return preset
    }
}
