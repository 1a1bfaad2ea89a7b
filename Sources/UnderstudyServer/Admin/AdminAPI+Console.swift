import AWSWire
import BedrockEngine
import Chaos
import Determinism
import JSONCore
import RequestStages
import ServiceKit
import StepFunctionsService

/// The local console: its page (`/_understudy/`, `/_understudy/machines/ARN`,
/// `/_understudy/executions/ARN`), its script and style, and the JSON it reads under
/// `/_understudy/console/`. All GET, behind the same `AdminGate` as the rest of the admin API:
/// the browser's own same-origin requests pass it without any header a browser would not send.
///
/// The console polls every second, so its requests are not journaled: they would push the
/// calls it is there to show out of the journal's ring.
extension AdminAPI {
    static let consolePrefix = "console/"
    static let maxConsoleLimit = 500
    static let maxHistoryEvents = 10_000

    /// The answer for a console route, or nil when `route` is not one.
    func handleConsole(_ request: ServiceRequest, route: String) -> AdminAnswer? {
        guard request.method == "GET" else { return nil }
        if route.isEmpty || route.hasPrefix("executions/") || route.hasPrefix("machines/") || route == "console" {
            return asset(ConsoleAsset.page, request)
        }
        guard route.hasPrefix(Self.consolePrefix) else { return nil }
        let name = String(route.dropFirst(Self.consolePrefix.count))
        if let file = ConsoleAsset.named(name) { return asset(file, request) }
        switch name {
        case "machines":
            return data(["machines": states.consoleMachines()], request)
        case "machine":
            guard let arn = request.queryValue("arn"), let machine = states.consoleMachine(arn) else { return notFound("state machine", request) }
            return data(machine, request)
        case "executions":
            guard let limit = number("limit", request, default: 50, range: 1...Self.maxConsoleLimit) else { return invalid("limit", request) }
            guard let before = number("nextToken", request, default: Int.max, range: -Int.max...Int.max) else { return invalid("nextToken", request) }
            let query = StatesOperations.ConsoleQuery(
                status: nonEmpty(request.queryValue("status")), machineArn: nonEmpty(request.queryValue("machine")),
                mapRunArn: nonEmpty(request.queryValue("mapRun")), limit: limit, before: before == Int.max ? nil : before)
            return data(states.consoleExecutions(query), request)
        case "execution":
            guard let arn = request.queryValue("arn"), let execution = states.consoleExecution(arn, maxEvents: Self.maxHistoryEvents) else {
                return notFound("execution", request)
            }
            return data(execution, request)
        case "journal":
            guard let limit = number("limit", request, default: 200, range: 1...Self.maxConsoleLimit) else { return invalid("limit", request) }
            guard let after = number("after", request, default: 0, range: 0...Int.max) else { return invalid("after", request) }
            let entries = journal.recent(limit: limit, after: after).map(\.json)
            return data(["entries": .array(entries)], request)
        case "rules":
            return data(rulesView(), request)
        default:
            return notFound("console resource", request)
        }
    }

    /// Fault rules with their hit counts, quotas with their usage, rate limits with their
    /// refusals and the canned completions: the console's rules panel in one request.
    func rulesView() -> JSONValue {
        [
            "faults": .array(faults.rules.map(\.source)), "faultStats": faultStats(),
            "quotas": .array(quotas.rules.map(\.source)), "quotaUsage": quotaUsage(),
            "rateLimits": .array(rateLimits.rules.map(\.source)), "rateLimitStats": rateLimitStats(),
            "completions": .array(completions.rules.map(\.source)),
        ]
    }

    /// Batch jobs, newest first, each brought up to date as ListModelInvocationJobs would.
    func batchJobsView() async -> JSONValue {
        let jobs = await batchJobs.allJobs()
        return ["jobs": .array(jobs.reversed().map(\.record))]
    }

    /// The batch jobs route: it waits for the book, so it is answered later.
    func deferredConsole(_ request: ServiceRequest, route: String) -> (@Sendable () async -> AdminAnswer)? {
        guard request.method == "GET", route == Self.consolePrefix + "batch-jobs" else { return nil }
        return { [self] in data(await batchJobsView(), request) }
    }

    // MARK: - Answers

    /// What every console answer carries: the page may run only its own script and style,
    /// may not be framed, and nothing is cached (it is live state).
    static let securityHeaders: [(name: String, value: String)] = [
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store"),
    ]

    func asset(_ file: ConsoleAsset, _ request: ServiceRequest) -> AdminAnswer {
        let headers = [("x-amzn-RequestId", request.requestId), ("Content-Type", file.contentType)] + Self.securityHeaders
        return AdminAnswer(operation: "ConsoleAsset", response: AWSResponse(status: 200, headers: headers, body: file.bytes), journaled: false)
    }

    func data(_ body: JSONValue, _ request: ServiceRequest) -> AdminAnswer {
        AdminAnswer(
            operation: "ConsoleData", response: RestJSON1.success(body, requestId: request.requestId, extraHeaders: Self.securityHeaders), journaled: false)
    }

    func notFound(_ what: String, _ request: ServiceRequest) -> AdminAnswer {
        var answer = failure("ConsoleData", AWSServiceError(code: "NotFound", message: "No such \(what)", status: 404), request)
        answer.journaled = false
        return answer
    }

    func invalid(_ parameter: String, _ request: ServiceRequest) -> AdminAnswer {
        var answer = failure("ConsoleData", AWSServiceError(code: "ValidationException", message: "\(parameter) is out of range or not a number", status: 400), request)
        answer.journaled = false
        return answer
    }

    func number(_ name: String, _ request: ServiceRequest, default value: Int, range: ClosedRange<Int>) -> Int? {
        guard let text = nonEmpty(request.queryValue(name)) else { return value }
        guard let parsed = Int(text), range.contains(parsed) else { return nil }
        return parsed
    }

    func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
