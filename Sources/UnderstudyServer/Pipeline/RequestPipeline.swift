import AWSWire
import BedrockEngine
import Chaos
import JSONCore
import Logging
import NIOCore
import ObjectStore

/// The request pipeline of the design: journal, identify, authenticate, dispatch. It knows
/// nothing of sockets; the HTTP layer hands it a whole request and writes what it returns.
public final class RequestPipeline: Sendable {
    public let configuration: ServerConfiguration
    public let clock: any ServerClock
    public let journal: Journal
    let requestIds: RequestIDGenerator
    let authenticator: Authenticator
    let frontEnds: [AWSService: any ServiceFrontEnd]
    let admin: AdminAPI
    let logger: Logger
    let faults: FaultStage
    let rateLimits: RateLimitStage
    public let objects: ObjectStore
    public let batchJobs: BatchJobBook

    public init(configuration: ServerConfiguration, clock: any ServerClock = SystemClock(), logger: Logger = Logger(label: "understudy")) throws {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        journal = Journal(capacity: configuration.journalSize)
        requestIds = RequestIDGenerator(seed: configuration.seed)
        authenticator = Authenticator(
            mode: configuration.authMode, credentials: configuration.credentials, bearerTokens: configuration.bearerTokens, clock: clock)
        let catalog = try ModelCatalog.bundled(additions: configuration.additionalModels)
        let rules = CompletionRuleBook(configured: configuration.completionRules)
        let faultBook = FaultBook(seed: configuration.seed, configured: configuration.faultRules)
        let ruleClock = AdvanceableClock(base: clock)
        let faults = FaultStage(book: faultBook, clock: ruleClock)
        self.faults = faults
        let rateLimitBook = RateLimitBook(configured: configuration.rateLimitRules)
        let rateLimits = RateLimitStage(book: rateLimitBook, clock: ruleClock)
        self.rateLimits = rateLimits
        let quotas = QuotaBook(
            configured: configuration.quotaPresets.flatMap { $0.rules(catalog: catalog) } + configuration.quotaRules, now: { ruleClock.nowMillis() })
        let objects: ObjectStore
        do {
            objects = try ObjectStore(dataDirectory: configuration.dataDirectory, seed: configuration.seed, now: { clock.nowMillis() })
        } catch {
            throw ConfigurationError("cannot use the data directory: \(error)")
        }
        self.objects = objects
        let runtime = BedrockRuntime(catalog: catalog, seed: configuration.seed, rules: rules, latency: configuration.latency, quotas: quotas)
        let batchStorage: any BatchStorage = configuration.batchStorage.map { ExternalS3Storage(endpoint: $0) } ?? EmbeddedBatchStorage(store: objects)
        let batchJobs = BatchJobBook(
            storage: batchStorage, runtime: runtime, seed: configuration.seed, timings: configuration.batchTimings, now: { ruleClock.nowMillis() })
        self.batchJobs = batchJobs
        var frontEnds: [AWSService: any ServiceFrontEnd] = [
            .bedrock: BedrockControlFrontEnd(catalog: catalog, jobs: batchJobs),
            .bedrockRuntime: BedrockRuntimeFrontEnd(runtime: runtime),
            .s3: S3FrontEnd(store: objects, now: { clock.nowMillis() }),
        ]
        // Internal calls (Task integrations) go through the same front ends and journal.
        let recorder = CallRecorder()
        let ids = requestIds
        let dispatcher = Dispatcher(
            frontEnds: frontEnds, faults: faults, rateLimits: rateLimits, nextRequestId: { ids.next() }, record: { recorder.record?($0, $1, $2) })
        let states = StatesOperations(clock: clock, timeScale: configuration.timeScale, dispatcher: dispatcher, seed: configuration.seed)
        let store = states.store
        rateLimits.stateMachineType.withLock { $0 = { arn in store.machine(StatesOperations.split(arn).base)?.type } }
        frontEnds[.states] = StatesFrontEnd(
            operations: states.operations,
            asyncOperations: [
                "StartSyncExecution": { input, request throws(AWSServiceError) in try states.startSyncExecution(input, request) },
                "GetActivityTask": { input, request throws(AWSServiceError) in try states.getActivityTask(input, request) },
                "TestState": { input, request throws(AWSServiceError) in try states.prepareTestState(input, request) },
            ])
        self.frontEnds = frontEnds
        let journal = self.journal
        admin = AdminAPI(
            journal: journal, clock: clock, startedAtMillis: clock.nowMillis(), services: frontEnds, completions: rules,
            executions: { states.recentExecutions(limit: $0) },
            faults: faultBook,
            quotas: quotas,
            catalog: catalog,
            rateLimits: rateLimitBook,
            ruleClock: ruleClock,
            timeScale: { value in
                if let value { states.timeScale = value }
                return states.timeScale
            },
            reset: {
                journal.clear()
                rules.reset()
                faultBook.reset()
                quotas.reset()
                rateLimitBook.reset()
                ruleClock.resetOffset()
                states.store.reset()
                states.activities.reset()
                objects.reset()
                batchJobs.reset()
            })
        recorder.record = { [weak self] request, dispatched, started in self?.record(request, dispatched, started: started) }
    }

    /// Identify: which service, from the request head alone (so body limits can answer in the
    /// service's own error shape before the body arrives).
    public func identify(method: String, path: String, query: String, header: (String) -> String?) -> AWSService {
        ServiceResolver.resolve(method: method, path: path, query: query, header: header)
    }

    public func nextRequestId() -> String { requestIds.next() }

    /// Lets the dispatcher journal through this pipeline once it exists.
    final class CallRecorder: @unchecked Sendable {
        var record: (@Sendable (ServiceRequest, Dispatched, NIODeadline) -> Void)?
    }

    /// Runs a whole request through the stages and returns the response to write.
    public func handle(_ incoming: ServiceRequest) -> AWSResponse {
        switch reply(incoming) {
        case .ready(let response): return response
        case .pending: return AWSResponse(status: 500)  // only the HTTP layer handles pending work
        }
    }

    /// Like `handle`, but long-running operations come back as pending work.
    public func reply(_ incoming: ServiceRequest) -> Reply {
        let started = NIODeadline.now()
        var request = incoming
        let dispatched: Dispatched
        if request.service == .admin {
            dispatched = admin.handle(request)
        } else {
            switch authenticator.authenticate(request) {
            case .failure(let error):
                dispatched = Dispatched(
                    operation: operationName(request),
                    response: ServiceErrors.response(error, service: request.service, requestId: request.requestId))
            case .success(let caller):
                request.caller = caller
                if let frontEnd = frontEnds[request.service] {
                    dispatched = rateLimits.refusal(request, operation: operationName(request)) ?? faults.dispatch(request, operation: operationName(request), through: frontEnd)
                } else {
                    dispatched = Dispatched(
                        operation: "Unknown",
                        response: ServiceErrors.response(ServiceErrors.unknownOperation(request.service), service: request.service, requestId: request.requestId))
                }
            }
        }
        if let pending = dispatched.pending {
            let finalRequest = request
            return .pending { [self] in
                var done = dispatched
                done.response = await pending()
                done.pending = nil
                record(finalRequest, done, started: started)
                return done.response
            }
        }
        record(request, dispatched, started: started)
        return .ready(dispatched.response)
    }

    /// Journals a request answered outside `handle` (e.g. refused for its size).
    public func record(_ request: ServiceRequest, _ dispatched: Dispatched, started: NIODeadline) {
        let micros = (NIODeadline.now() - started).nanoseconds / 1000
        let now = clock.nowMillis()
        journal.record { sequence in
            Journal.Entry(
                sequence: sequence, timeMillis: now, service: request.service.rawValue, operation: dispatched.operation,
                status: dispatched.response.status, latencyMicros: micros, requestId: request.requestId,
                account: request.caller.account, region: request.caller.region, attempt: request.sdkAttempt, rule: dispatched.rule,
                fault: dispatched.fault)
        }
        if logger.logLevel <= .debug {
            logger.debug(
                "\(request.method) \(request.service.rawValue) \(dispatched.operation) \(dispatched.response.status) \(Double(micros) / 1000)ms",
                metadata: ["requestId": .string(request.requestId)])
        }
    }

    func operationName(_ request: ServiceRequest) -> String {
        switch request.service {
        case .states: return StatesFrontEnd().operationName(request)
        case .bedrockRuntime: return BedrockRuntimeFrontEnd.operationName(method: request.method, segments: request.pathSegments) ?? "Unknown"
        case .bedrock: return BedrockControlFrontEnd.operationName(method: request.method, segments: request.pathSegments)
        case .s3: return S3FrontEnd.operationName(request)
        case .admin: return "Admin"
        }
    }
}
