import AWSWire
public import BedrockEngine
public import Chaos
public import JSONCore

extension FaultRule {
    /// A fault rule written as `faults:` in `understudy.yml` writes it, checked here, as the
    /// server checks it at start-up (a bad rule throws before any request is sent).
    public init(_ definition: JSONValue) throws(FaultRule.Invalid) {
        try self.init(json: definition, parseTimestamp: AWSTimestamp.epochMillis(iso8601:))
    }

    /// Every matching call answered with Bedrock's or Step Functions' error `code`
    /// (`ThrottlingException`, `ServiceUnavailableException`, …) in the service's own words;
    /// `calls` limits it to those matching calls (1 is the first).
    public static func error(
        _ code: String, named name: String, service: String? = nil, operation: String? = nil, calls: [Int]? = nil
    ) throws(FaultRule.Invalid) -> FaultRule {
        var match = JSONObject()
        if let service { match["service"] = .string(service) }
        if let operation { match["operation"] = .string(operation) }
        var definition: JSONObject = ["name": .string(name), "match": .object(match), "error": ["code": .string(code)]]
        if let calls { definition["when"] = ["calls": .array(calls.map { JSONValue($0) })] }
        return try FaultRule(.object(definition))
    }
}

extension CompletionRule {
    /// A canned completion written as `bedrock.completions:` writes it.
    public init(_ definition: JSONValue) throws(RuleError) {
        try self.init(json: definition)
    }
}
