public import AWSWire
public import BedrockEngine
import BedrockService
import Chaos
import Determinism
import Durable
import Foundation
public import HTTPEdge
import Integrations
import Locking
import RecordReplay
import Recording
public import Logging
public import ObjectStore
public import RequestStages
import S3Service
public import ServiceKit
import StepFunctionsService
import Upstream

/// The composition root of the server: builds the engines, the stages and the one dispatcher,
/// and turns each whole HTTP request into a `ServiceCall` for it (or an admin answer). It knows
/// nothing of sockets: the HTTP edge (`HTTPEdge`) hands it a request through `EdgePipeline`
/// and writes what comes back.
public final class RequestPipeline: EdgePipeline {
    public let configuration: ServerConfiguration
    public let clock: any ServerClock
    public let journal: Journal
    public let logger: Logger
    let requestIds: RequestIDGenerator
    let admin: AdminAPI
    let journalStage: JournalStage
    /// The one boundary for HTTP calls; Task integrations use the same stages and services
    /// (less Step Functions itself, which no Task calls).
    public let dispatcher: Dispatcher
    public let objects: ObjectStore
    public let batchJobs: BatchJobBook
    /// Calls passing through the recorder whose interaction is not on disk yet; nil when
    /// nothing is recorded.
    let recordingsInProgress: RecordingsInProgress?
    /// The control plane's database under `--data-dir`; nil in memory.
    let stateDatabase: StateDatabase?

    public init(configuration: ServerConfiguration, clock: any ServerClock = SystemClock(), logger: Logger = Logger(label: "understudy")) throws {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        journal = Journal(capacity: configuration.journalSize)
        // This pipeline's own registry: see `ServerMetrics` for why it is not the global one.
        let metrics = configuration.metricsEnabled ? ServerMetrics() : nil
        requestIds = RequestIDGenerator(seed: configuration.seed)
        let catalog = try ModelCatalog.bundled(additions: configuration.additionalModels)
        let rules = CompletionRuleBook(configured: configuration.completionRules)
        let faultBook = FaultBook(seed: configuration.seed, configured: configuration.faultRules)
        let ruleClock = AdvanceableClock(base: clock)
        let rateLimitBook = RateLimitBook(configured: configuration.rateLimitRules)
        let quotas = QuotaBook(
            configured: configuration.quotaPresets.flatMap { $0.rules(catalog: catalog) } + configuration.quotaRules, now: { ruleClock.nowMillis() })
        // The control plane's state under --data-dir: refused with the file's name when it
        // cannot be used (damaged, or from a newer Understudy), never replaced.
        let database: StateDatabase?
        let statesStore: StatesStore
        do throws(SQLiteDatabase.Failure) {
            if let directory = configuration.dataDirectory {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                database = try StateDatabase(directory: directory)
            } else {
                database = nil
            }
            statesStore = try StatesStore(database: database)
        } catch {
            throw ConfigurationError("the data directory cannot be used: \(error.description)")
        }
        stateDatabase = database
        let objects: ObjectStore
        do {
            objects = try ObjectStore(
                dataDirectory: configuration.dataDirectory, database: database, seed: configuration.seed, now: { clock.nowMillis() })
        } catch {
            throw ConfigurationError("cannot use the data directory: \(error)")
        }
        self.objects = objects
        let runtime = BedrockRuntime(catalog: catalog, seed: configuration.seed, rules: rules, latency: configuration.latency, quotas: quotas)
        // The endpoint checks signatures against the real time of day, whatever `clock` says.
        let batchStorage: any BatchStorage =
            configuration.batchStorage.map { ExternalS3Storage(endpoint: $0, wallClock: { SystemClock().nowSeconds() }) }
            ?? EmbeddedBatchStorage(store: objects)

        let batchJobs: BatchJobBook
        do throws(BatchJobRecordFailure) {
            batchJobs = try BatchJobBook(
                storage: batchStorage, runtime: runtime, seed: configuration.seed, timings: configuration.batchTimings,
                records: database.map(DatabaseBatchJobRecords.init), usage: metrics, now: { ruleClock.nowMillis() })
        } catch {
            throw ConfigurationError("the data directory cannot be used: \(error.description)")
        }
        self.batchJobs = batchJobs
        journalStage = JournalStage(journal: journal, clock: clock, logger: logger, observer: metrics)
        let wording = ErrorWording(
            bedrock: BedrockErrorCatalog.entries, bedrockThrottle: BedrockErrorCatalog.requestRateThrottle, statesNamespace: StatesFrontEnd.namespace)
        let stages: [any DispatchStage] = [
            journalStage,
            Authenticator(mode: configuration.authMode, credentials: configuration.credentials, bearerTokens: configuration.bearerTokens, clock: clock),
            RateLimitStage(book: rateLimitBook, clock: ruleClock, wording: wording) { arn in statesStore.stateMachineType(of: arn) },
            FaultStage(book: faultBook, clock: ruleClock, wording: wording),
        ]
        // Record and replay stand in for the emulators of the services they cover, behind the
        // same stages, so a Task's Bedrock call is recorded and replayed too.
        // One time scale, which the admin API may change: executions and replayed streams
        // started after a change follow it.
        let timeScale = Locked(configuration.timeScale)
        let recording = try RecordingSetup(settings: configuration.recording, timeScale: timeScale, clock: clock, logger: logger)
        recordingsInProgress = recording?.inProgress
        let emulators: [AWSService: any ServiceFrontEnd] = [
            .bedrock: BedrockControlFrontEnd(catalog: catalog, jobs: batchJobs),
            .bedrockRuntime: BedrockRuntimeFrontEnd(runtime: runtime, usage: metrics),
            .s3: S3FrontEnd(store: objects, now: { clock.nowMillis() }),
        ]
        let taskDispatcher = Dispatcher(services: recording?.frontEnds(for: emulators) ?? emulators, stages: stages, requestIds: requestIds)
        let lambdaEndpoint = configuration.lambdaEndpoint.flatMap { LambdaEndpoint(url: $0) }
        let mockConfig: MockConfigSource
        do {
            let mockLogger = logger
            mockConfig = try MockConfigSource(path: configuration.mockConfigFile, rules: configuration.testCaseRules) { mockLogger.warning("\($0)") }
        } catch {
            throw ConfigurationError("the mock configuration \(configuration.mockConfigFile ?? "") cannot be used: \(error)")
        }
        let states: StatesOperations
        do throws(SQLiteDatabase.Failure) {
            states = try StatesOperations(
                store: statesStore, database: database, clock: ruleClock, timeScale: timeScale, seed: configuration.seed, mockConfig: mockConfig,
                observer: metrics, tasks: { TaskIntegrations(dispatcher: taskDispatcher, clock: $0, lambdaEndpoint: lambdaEndpoint) })
        } catch {
            throw ConfigurationError("the data directory cannot be used: \(error.description)")
        }
        dispatcher = taskDispatcher.serving(recording?.frontEnd(for: states.frontEnd) ?? states.frontEnd)
        let journal = self.journal
        admin = AdminAPI(
            journal: journal, clock: clock, startedAtMillis: clock.nowMillis(), services: dispatcher.services, completions: rules,
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
                states.reset()
                objects.reset()
                batchJobs.reset()
                // Replayed sequences (RUNNING, RUNNING, SUCCEEDED) start again from the first.
                recording?.book.rewind()
                mockConfig.restore()
            },
            mockConfig: mockConfig,
            storage: configuration.dataDirectory.map { ($0, database, objects) },
            gate: AdminGate(configuration: configuration, clock: clock), metrics: metrics, states: states, batchJobs: batchJobs)
        // Executions that were running when the server last stopped go on, now that the
        // services their Tasks call are in place.
        states.resumeInterruptedExecutions()
    }

    /// Identify: which service, from the request head alone (so body limits can answer in the
    /// service's own error shape before the body arrives).
    public func identify(method: String, path: String, query: String, header: (String) -> String?) -> AWSService {
        ServiceResolver.resolve(method: method, path: path, query: query, header: header)
    }

    public func nextRequestId() -> String { requestIds.next() }

    /// A whole request through the dispatcher (or the admin API, which is not a service and
    /// passes no stage but the journal).
    public func handle(_ request: ServiceRequest) -> Handling {
        guard request.service == .admin else { return dispatcher.dispatch(dispatcher.operation(for: request)) }
        let started = ContinuousClock.now
        if let work = admin.deferred(request) {
            return .later { Reply(.raw(await work().response)) }
        }
        let answer = admin.handle(request)
        let reply = Reply(.raw(answer.response))
        if answer.journaled {
            journalStage.record(ServiceCall(service: .admin, name: OperationName(answer.operation), origin: .http, request: request, started: started), reply)
        }
        return .now(reply)
    }

    /// The last step of a shutdown, after the HTTP server has stopped: waits (up to `limit`)
    /// until every call that passed through the recorder is in the cassette, also those whose
    /// client left before the answer ended.
    public func finishRecordings(limit: Duration) async {
        await recordingsInProgress?.waitUntilWritten(limit: limit)
    }

    /// A request's answer as a client reads it, waiting for it when it takes time: the HTTP
    /// edge without a socket, for the test harness's in-memory transport. Throws
    /// `BrokenConnection` where the edge would break the connection.
    public func respond(_ request: ServiceRequest) async throws -> DeliveredAnswer {
        let answer = WireAnswer(await handle(request).reply(), service: request.service, requestId: request.requestId)
        return try await answer.delivered(method: request.method, epochSeconds: clock.nowSeconds())
    }

    /// Journals a request refused before it could be read (too large), as `name`.
    public func recordRefusal(_ request: ServiceRequest, name: OperationName, _ reply: Reply, started: ContinuousClock.Instant) {
        journalStage.record(ServiceCall(service: request.service, name: name, origin: .http, request: request, started: started), reply)
    }
}
