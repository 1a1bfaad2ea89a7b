public import BedrockEngine
public import Chaos
public import JSONCore

/// Rules of one kind the server applies (fault rules, canned completions), changed while it
/// runs: the same types the configuration file declares, sent as the JSON the admin API reads.
public struct RuleControl<Rule: Sendable>: Sendable {
    let server: TestServer
    let route: String
    let source: @Sendable (Rule) -> JSONValue

    /// Adds `rule` (replacing one of the same name). A rule the server refuses throws its
    /// `AWSError` (400 naming the field).
    public func add(_ rule: Rule) async throws {
        _ = try await server.admin("POST", route, source(rule))
    }

    /// Adds a rule written as the configuration file and the admin API write it.
    public func add(json rule: JSONValue) async throws {
        _ = try await server.admin("POST", route, rule)
    }

    public func remove(named name: String) async throws {
        _ = try await server.admin("DELETE", "\(route)/\(name)")
    }

    /// The rules in force, as the admin API lists them.
    public func list() async throws -> JSONValue {
        try await server.admin("GET", route)
    }
}

/// The server's clock: its time scale, and time moved forward at once.
public struct ClockControl: Sendable {
    let server: TestServer

    /// Moves the clock that waits, timeouts, quotas, fault windows and batch phases read.
    public func advance(seconds: Double) async throws {
        _ = try await server.admin("POST", "clock", ["advanceSeconds": JSONValue(seconds)])
    }

    /// 1 real time, 0 instant; executions started afterwards follow it.
    public func setTimeScale(_ scale: Double) async throws {
        _ = try await server.admin("POST", "clock", ["timeScale": JSONValue(scale)])
    }
}

extension TestServer {
    public var bedrock: BedrockClient { BedrockClient(server: self) }
    public var stepFunctions: StepFunctionsClient { StepFunctionsClient(server: self) }
    public var s3: S3Client { S3Client(server: self) }

    /// Fault rules (`faults` in the configuration file).
    public var faults: RuleControl<FaultRule> { RuleControl(server: self, route: "faults", source: { $0.source }) }
    /// Canned completions (`bedrock.completions`).
    public var completions: RuleControl<CompletionRule> { RuleControl(server: self, route: "completions", source: { $0.source }) }
    public var clock: ClockControl { ClockControl(server: self) }
    /// What the server answered, newest last.
    public var journal: JournalView { JournalView(server: self) }

    /// Back to the start: rules, faults, quotas, the clock's offset, state machines,
    /// executions, objects, batch jobs and the journal.
    public func reset() async throws {
        _ = try await admin("POST", "reset")
    }
}
