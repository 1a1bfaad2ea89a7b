public import AWSWire

/// Record and replay of real AWS traffic (`mode` and the `recording` section): where cassettes
/// live, where record mode forwards calls, which services it covers and what replay does with a
/// call it has no recording of.
public struct RecordingSettings: Sendable, Equatable {
    /// What the server does with a service call.
    public enum Mode: String, Sendable, CaseIterable {
        /// Answer from the emulator (the default).
        case emulate
        /// Forward to the real service (re-signed), pass its answer through, and keep it.
        case record
        /// Answer from the cassettes.
        case replay
    }

    /// What replay does with a call no cassette holds.
    public enum MissPolicy: String, Sendable, CaseIterable {
        /// An AWS-shaped `UnderstudyNoRecording` error naming the nearest recording.
        case error
        /// The emulator answers it.
        case emulate
        /// Forward it, answer with what comes back, and add it to the cassette (vcrpy's
        /// new_episodes).
        case record
    }

    public var mode = Mode.emulate
    /// The recording session's directory (`--recordings`).
    public var directory: String?
    /// One base URL every forwarded call goes to (`--upstream`) instead of the service's
    /// regional endpoint: a gateway, or a second server in tests.
    public var upstream: String?
    /// Base URLs by service, for the services that have their own.
    public var upstreamByService: [AWSService: String] = [:]
    /// The services recorded or replayed; nil is every service. The rest are emulated.
    public var services: Set<AWSService>?
    public var onMiss = MissPolicy.error
    /// Text patterns (regular expressions) and JSON paths (`$.a.b`) replaced before a cassette
    /// is written, beside the credentials that never are.
    public var redact: [String] = []
    /// Body members a replayed request may differ in, beside a `clientRequestToken` anywhere
    /// and a generated execution name (`member`, `$.json.path`, either after `Operation:`).
    public var volatileFields: [String] = []
    /// Real account ids and the placeholder written in their place (mapped back to the caller's
    /// account on replay).
    public var accounts: [String: String] = [:]
    /// Literal secrets replaced wherever they occur, and what `recordings verify` looks for.
    public var secrets: [String] = []
    /// A PEM file of extra certificate authorities trusted for the upstream (tests, corporate
    /// proxies), beside the system's.
    public var upstreamCAFile: String?
    /// Skips certificate verification of the upstream. Only ever set explicitly; the server
    /// warns at start-up when it is.
    public var insecureSkipVerify = false

    public init() {}

    /// Whether calls of `service` are recorded or replayed (rather than emulated).
    public func covers(_ service: AWSService) -> Bool {
        mode != .emulate && service != .admin && (services?.contains(service) ?? true)
    }
}
