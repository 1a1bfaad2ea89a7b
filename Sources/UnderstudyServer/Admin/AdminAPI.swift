public import AWSWire
import BedrockEngine
import Chaos
import Determinism
import Durable
import JSONCore
import ObjectStore
import RequestStages
public import ServiceKit
import StepFunctionsService

/// `/_understudy/…`: health, reset and the journal, as JSON.
public struct AdminAPI: Sendable {
    let journal: Journal
    let clock: any ServerClock
    let startedAtMillis: Int64
    let services: [AWSService: any ServiceFrontEnd]
    let completions: CompletionRuleBook
    let executions: @Sendable (Int) -> JSONValue
    let faults: FaultBook
    let quotas: QuotaBook
    let catalog: ModelCatalog
    let rateLimits: RateLimitBook
    let ruleClock: AdvanceableClock
    let timeScale: @Sendable (Double?) -> Double
    let reset: @Sendable () -> Void
    /// Step Functions Local's mock configuration (`mock-config`).
    let mockConfig: MockConfigSource
    /// The data directory, the database in it and the objects beside it, when there is one
    /// (`--data-dir`).
    let storage: (directory: String, database: StateDatabase?, objects: ObjectStore)?
    /// Who may call, and from where; see `AdminGate`.
    let gate: AdminGate
    /// The server's metrics (`GET /_understudy/metrics`); nil when `metrics.enabled` is false.
    let metrics: ServerMetrics?
    /// What the console reads: state machines and executions, and batch jobs.
    let states: StatesOperations
    let batchJobs: BatchJobBook

    /// The answer to a request that has to wait (the console's batch jobs), or nil when the
    /// request is answered at once by `handle`, refusals included.
    public func deferred(_ request: ServiceRequest) -> (@Sendable () async -> AdminAnswer)? {
        let route = String(request.path.dropFirst(ServiceResolver.adminPrefix.count))
        guard gate.refusal(request, route: route) == nil else { return nil }
        return deferredConsole(request, route: route)
    }

    public func handle(_ request: ServiceRequest) -> AdminAnswer {
        let route = String(request.path.dropFirst(ServiceResolver.adminPrefix.count))
        if let refusal = gate.refusal(request, route: route) { return failure("AdminRequestRefused", refusal, request) }
        for collection in ruleCollections {
            if let answer = collection.handle(request, route: route, api: self) { return answer }
        }
        if route == Self.mockConfigRoute { return handleMockConfig(request) }
        if let answer = handleConsole(request, route: route) { return answer }
        switch (request.method, route) {
        case ("GET", "health"): return respond("Health", health())
        case ("GET", "metrics"): return metricsAnswer(request)
        case ("POST", "reset"):
            reset()
            return respond("Reset", ["status": "reset"])
        case ("GET", "journal"):
            var limit: Int? = nil
            if let text = request.queryValue("limit") {
                guard let value = Int(text), value >= 0 else {
                    return failure("Journal", AWSServiceError(code: "ValidationException", message: "limit must be a non-negative integer", status: 400), request)
                }
                limit = value
            }
            var after: Int? = nil
            if let text = request.queryValue("after") {
                guard let value = Int(text), value >= 0 else {
                    return failure("Journal", AWSServiceError(code: "ValidationException", message: "after must be a non-negative integer", status: 400), request)
                }
                after = value
            }
            let entries = journal.recent(limit: limit, after: after).map(\.json)
            return respond("Journal", ["entries": .array(entries)])
        case ("GET", "clock"):
            return respond("GetClock", clockState())
        case ("POST", "clock"):
            let body = try? JSONParser.parse(request.body)
            let scale = body?["timeScale"], advance = body?["advanceSeconds"]
            guard scale != nil || advance != nil else {
                return failure("SetClock", AWSServiceError(code: "ValidationException", message: "give timeScale (a number >= 0) or advanceSeconds (a number >= 0)", status: 400), request)
            }
            // Both are checked before either is applied, so a refused call changes nothing.
            let range = ConfigurationLimits.timeScale
            if let scale, !(scale.doubleValue.map(range.contains) ?? false) {
                let message = "timeScale must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))"
                return failure("SetClock", AWSServiceError(code: "ValidationException", message: message, status: 400), request)
            }
            if let advance, !(advance.doubleValue.map(Self.advanceSeconds.contains) ?? false) {
                let message = "advanceSeconds must be a number from 0 to \(Int(Self.advanceSeconds.upperBound))"
                return failure("SetClock", AWSServiceError(code: "ValidationException", message: message, status: 400), request)
            }
            if let value = scale?.doubleValue { _ = timeScale(value) }
            if let seconds = advance?.doubleValue { ruleClock.advance(millis: Int64(seconds * 1000)) }
            return respond("SetClock", clockState())
        case ("GET", "executions"):
            var limit = 100
            if let text = request.queryValue("limit") {
                guard let value = Int(text), value >= 0 else {
                    return failure("ListExecutions", AWSServiceError(code: "ValidationException", message: "limit must be a non-negative integer", status: 400), request)
                }
                limit = value
            }
            return respond("ListExecutions", ["executions": executions(limit)])
        case ("GET", "quotas/usage"):
            return respond("QuotaUsage", ["quotas": quotaUsage()])
        case ("GET", "faults/stats"):
            return respond("FaultStats", ["rules": faultStats()])
        case ("GET", "rate-limits/stats"):
            return respond("RateLimitStats", ["rules": rateLimitStats()])
        default:
            let known = [
                "health", "reset", "journal", "completions", "executions", "clock", "faults", "faults/stats", "quotas", "quotas/usage", "rate-limits", "rate-limits/stats",
                "metrics",
            ]
            let error = known.contains(route)
                ? AWSServiceError(code: "MethodNotAllowed", message: "\(request.method) is not allowed on /_understudy/\(route)", status: 405)
                : AWSServiceError(code: "NotFound", message: "No admin resource /_understudy/\(route)", status: 404)
            return failure("Unknown", error, request)
        }

        func respond(_ operation: String, _ body: JSONValue) -> AdminAnswer {
            AdminAnswer(operation: operation, response: RestJSON1.success(body, requestId: request.requestId))
        }
    }

    /// How far one `POST /_understudy/clock` may move the clock: about a thousand years.
    static let advanceSeconds: ClosedRange<Double> = 0...3.2e10

    var ruleCollections: [AdminRuleCollection] {
        let completions = completions, faults = faults, quotas = quotas, catalog = catalog, rateLimits = rateLimits
        return [
            AdminRuleCollection(
                route: "completions", noun: "CompletionRule", kind: "completion rule", sources: { completions.rules.map(\.source) }, names: { completions.rules.map(\.name) },
                add: { items in
                    let rules = try items.map { item throws(RuleError) in try CompletionRule(json: item) }
                    for rule in rules { completions.add(rule) }
                },
                remove: { completions.remove(named: $0) }, removeAll: { completions.removeAll() }),
            AdminRuleCollection(
                route: "faults", noun: "FaultRule", kind: "fault rule", sources: { faults.rules.map(\.source) }, names: { faults.rules.map(\.name) },
                add: { items in
                    let rules = try items.map { try FaultRule(json: $0, parseTimestamp: AWSTimestamp.epochMillis(iso8601:)) }
                    for rule in rules { faults.add(rule) }
                },
                remove: { faults.remove(named: $0) }, removeAll: { faults.removeAll() }),
            AdminRuleCollection(
                route: "quotas", noun: "Quota", kind: "quota", sources: { quotas.rules.map(\.source) }, names: { quotas.rules.map(\.name) },
                add: { items in
                    // `{"preset": "realistic"}` adds the preset's quotas.
                    let rules = try items.flatMap { item throws(QuotaRule.Invalid) in
                        if let name = item["preset"]?.stringValue { return try QuotaPreset.named(name).rules(catalog: catalog) }
                        return [try QuotaRule(json: item)]
                    }
                    for rule in rules { quotas.add(rule) }
                },
                remove: { quotas.remove(named: $0) }, removeAll: { quotas.removeAll() }),
            AdminRuleCollection(
                route: "rate-limits", noun: "RateLimit", kind: "rate limit", sources: { rateLimits.rules.map(\.source) },
                names: { rateLimits.rules.map(\.name) },
                add: { items in
                    // `{"preset": "realistic"}` adds the preset's rate limits.
                    let rules = try items.flatMap { item throws(RateLimitRule.Invalid) in
                        if let name = item["preset"]?.stringValue { return try RateLimitPreset.named(name).rules }
                        return [try RateLimitRule(json: item)]
                    }
                    for rule in rules { rateLimits.add(rule) }
                },
                remove: { rateLimits.remove(named: $0) }, removeAll: { rateLimits.removeAll() }),
        ]
    }

    /// Per quota: requests and tokens in the last minute, tokens in the last day, calls in flight.
    func quotaUsage() -> JSONValue {
        var usage = JSONObject()
        for entry in quotas.usage() {
            usage[entry.name] = [
                "requestsLastMinute": JSONValue(entry.requestsLastMinute), "tokensLastMinute": JSONValue(entry.tokensLastMinute),
                "tokensLastDay": JSONValue(entry.tokensLastDay), "inFlight": JSONValue(entry.inFlight),
            ]
        }
        return .object(usage)
    }

    /// Per fault rule: the calls it matched and the faults it injected.
    func faultStats() -> JSONValue {
        var stats = JSONObject()
        for entry in faults.stats { stats[entry.name] = ["matched": JSONValue(entry.matched), "hits": JSONValue(entry.hits)] }
        return .object(stats)
    }

    /// Per rate limit: the calls it refused.
    func rateLimitStats() -> JSONValue {
        var stats = JSONObject()
        for entry in rateLimits.refusals() { stats[entry.name] = ["refused": JSONValue(entry.refused)] }
        return .object(stats)
    }

    /// The execution time scale, and the time quotas and fault windows see (with its offset).
    func clockState() -> JSONValue {
        [
            "timeScale": JSONValue(timeScale(nil)), "now": .string(AWSTimestamp.iso8601(epochMillis: ruleClock.nowMillis())),
            "advancedSeconds": .number(JSONNumber(Double(ruleClock.offsetMillis) / 1000)),
        ]
    }

    func failure(_ operation: String, _ error: AWSServiceError, _ request: ServiceRequest) -> AdminAnswer {
        AdminAnswer(operation: operation, response: ServiceErrors.response(error, service: .admin, requestId: request.requestId))
    }

    func health() -> JSONValue {
        var services = JSONObject()
        for service in AWSService.allCases where service != .admin {
            services[service.rawValue] = .array((self.services[service]?.servedOperations ?? []).map { .string($0) })
        }
        var o = JSONObject()
        o["status"] = "running"
        o["version"] = .string(UnderstudyVersion.current)
        o["uptimeSeconds"] = .number(JSONNumber(Double(clock.nowMillis() - startedAtMillis) / 1000))
        o["services"] = .object(services)
        if let storage {
            var data: JSONObject = ["directory": .string(storage.directory)]
            var bytes = storage.objects.storedBytes
            if let database = storage.database {
                data["database"] = .string(database.database.path)
                data["databaseBytes"] = JSONValue(Int(database.database.sizeBytes))
                data["schemaVersion"] = JSONValue(Int(StateDatabase.schemaVersion))
                bytes += database.database.fileBytes
            }
            data["sizeBytes"] = JSONValue(Int(bytes))
            o["dataDirectory"] = .object(data)
        }
        return .object(o)
    }
}

/// An admin request's answer and the name the journal gives it.
public struct AdminAnswer: Sendable {
    public var operation: String
    public var response: AWSResponse
    /// False for the console's own requests, which poll and would crowd the journal.
    public var journaled = true
}
