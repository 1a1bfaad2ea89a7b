import AWSWire
import Forwarding
import Locking
import Logging
import RecordReplay
import Recording
import ServiceKit

/// Record and replay as the configuration asks: the cassette, the forwarder to real AWS, and
/// the front ends that stand in for the covered services' emulators.
struct RecordingSetup {
    let settings: RecordingSettings
    let book: ReplayBook
    /// Calls being recorded whose interaction is not on disk yet, for shutdown to wait on.
    let inProgress = RecordingsInProgress()
    let forwarder: RequestForwarder?
    let transport: (any UpstreamTransport)?
    /// The server's time scale as it is now (the admin API may change it): replay's pacing.
    let timeScale: Locked<Double>
    let clock: any ServerClock
    let logger: Logger

    /// Nil in emulate mode.
    init?(settings: RecordingSettings, timeScale: Locked<Double>, clock: any ServerClock, logger: Logger) throws {
        guard settings.mode != .emulate else { return nil }
        guard let directory = settings.directory else { throw ConfigurationError("--mode \(settings.mode.rawValue) needs --recordings DIR") }
        self.settings = settings
        self.timeScale = timeScale
        self.clock = clock
        self.logger = logger
        do {
            var rules = RedactionRules(
                rules: try settings.redact.map { try RedactionRule.parse($0) },
                accounts: try AccountMapping(settings.accounts.sorted { $0.key < $1.key }.map { (real: $0.key, placeholder: $0.value) }))
            rules.addSecrets(settings.secrets)
            let redactor = Redactor(rules)
            let match = MatchRules(volatileFields: VolatileField.defaults + (try settings.volatileFields.map { try VolatileField(parsing: $0) }))
            let cassette = try Cassette.load(from: directory, allowMissing: settings.mode == .record)
            let writes = settings.mode == .record || settings.onMiss == .record
            let writer = writes ? try CassetteWriter(directory: directory, redactor: redactor) : nil
            book = ReplayBook(cassette: cassette, redactor: redactor, rules: match, writer: writer)
        } catch {
            throw ConfigurationError("recording: \(error)")
        }
        let forwards = settings.mode == .record || settings.onMiss == .record
        if forwards {
            do {
                let all = try settings.upstream.map { try UpstreamEndpoint(url: $0) }
                var perService: [AWSService: UpstreamEndpoint] = [:]
                for (service, url) in settings.upstreamByService { perService[service] = try UpstreamEndpoint(url: url) }
                let endpoints = UpstreamEndpoints(all: all, perService: perService)
                forwarder = RequestForwarder(endpoints: endpoints, credentials: CredentialChain(environment: .system()), now: { SystemClock().nowSeconds() })
            } catch {
                throw ConfigurationError("recording.upstream: \(error)")
            }
            transport = try UpstreamClientTransport(caFile: settings.upstreamCAFile, insecureSkipVerify: settings.insecureSkipVerify)
            if settings.insecureSkipVerify {
                logger.warning("recording.insecureSkipVerify is set: the upstream's certificate is NOT verified")
            }
        } else {
            forwarder = nil
            transport = nil
        }
    }

    /// `emulator`, or the recorder in its place when the settings cover its service.
    func frontEnd(for emulator: any ServiceFrontEnd) -> any ServiceFrontEnd {
        guard settings.covers(emulator.service) else { return emulator }
        let role: RecordingFrontEnd.Role
        switch settings.mode {
        case .record, .emulate: role = .record
        case .replay:
            switch settings.onMiss {
            case .error: role = .replay(miss: .error)
            case .emulate: role = .replay(miss: .emulate)
            case .record: role = .replay(miss: .record)
            }
        }
        let clock = self.clock
        let logger = self.logger
        let timeScale = self.timeScale
        return RecordingFrontEnd(
            emulator: emulator, role: role, book: book, forwarder: forwarder, transport: transport, timeScale: { timeScale.withLock { $0 } },
            now: { clock.nowMillis() }, report: { logger.error("\($0)") }, inProgress: inProgress)
    }

    func frontEnds(for emulators: [AWSService: any ServiceFrontEnd]) -> [AWSService: any ServiceFrontEnd] {
        emulators.mapValues { frontEnd(for: $0) }
    }
}
