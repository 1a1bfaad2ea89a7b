public import AWSWire
public import BedrockEngine
public import Chaos
public import RequestStages
public import StepFunctionsService
public import Upstream

/// Everything the server is told at start. Layered: built-in defaults, then `understudy.yml`,
/// then `UNDERSTUDY_*` variables, then command-line flags.
public struct ServerConfiguration: Sendable {
    /// Loopback unless told otherwise: secure by default.
    public var host = "127.0.0.1"
    public var port = 4566
    public var authMode = AuthMode.lenient
    public var credentials: [SigV4Credentials] = []
    public var bearerTokens: [String] = []
    /// The token that opens the admin API in strict mode (`admin.token`), beside a request
    /// signed with one of `credentials`; nil leaves signing as the only way in.
    public var adminToken: String?
    /// The one seed every random stream derives from.
    public var seed: UInt64 = 0
    public var logLevel = "info"
    /// Largest request body accepted (AWS's own per-operation limits apply on top).
    public var maxBodyBytes = 64 * 1024 * 1024
    public var journalSize = 1000
    /// Counts for `GET /_understudy/metrics` (`metrics.enabled`, `--no-metrics`); on by default.
    public var metricsEnabled = true
    /// Where S3 objects persist (`--data-dir`); nil keeps them in memory.
    public var dataDirectory: String?
    /// Models added to (or replacing entries of) the bundled catalog.
    public var additionalModels: [FoundationModel] = []
    /// Canned completion rules (`bedrock.completions`), first match wins.
    public var completionRules: [CompletionRule] = []
    /// Simulated latency by model glob (`bedrock.latency`); empty means instant.
    public var latency = LatencyModel()
    /// Fault rules (`faults`), first match wins.
    public var faultRules: [FaultRule] = []
    /// Bedrock quotas (`quotas`); none by default.
    public var quotaRules: [QuotaRule] = []
    /// API rate limits (`rateLimits`), token buckets per account and region; none by default.
    public var rateLimitRules: [RateLimitRule] = []
    /// Quota presets named in `quotas` (`realistic`), expanded against the model catalog.
    public var quotaPresets: [QuotaPreset] = []
    /// Batch inference job phase durations and the minimum record count (`bedrock.batch`).
    public var batchTimings = BatchTimings()
    /// An S3-compatible endpoint batch jobs read and write instead of the embedded store
    /// (`bedrock.batch.s3`); nil uses the embedded store.
    public var batchStorage: ExternalS3Endpoint?
    /// Execution time scale: 1 real time, 0.01 a hundred times faster, 0 instant.
    public var timeScale = 1.0
    /// How long graceful shutdown waits for in-flight requests.
    public var shutdownGraceSeconds = 5
    /// From a request's first byte to its whole head (nginx's `client_header_timeout`).
    public var headerTimeoutSeconds = 20
    /// A connection with no request, or a body with no bytes, for this long is closed.
    public var idleTimeoutSeconds = 60
    /// Open connections at once; past it new ones wait in the listen backlog.
    public var maxConnections = 4096
    /// Record and replay of real AWS traffic (`mode`, `recording`); emulation by default.
    public var recording = RecordingSettings()
    /// Step Functions Local's mock configuration file (`stepFunctions.mockConfig`,
    /// `SFN_MOCK_CONFIG`, `LOCALSTACK_SFN_MOCK_CONFIG`, `--mock-config`).
    public var mockConfigFile: String?
    /// Test cases for executions started without one (`stepFunctions.testCases`).
    public var testCaseRules: [TestCaseRule] = []
    /// A Lambda Invoke API endpoint Lambda Tasks call (`stepFunctions.lambdaEndpoint`,
    /// `LAMBDA_ENDPOINT` as Step Functions Local reads it, `--lambda-endpoint`).
    public var lambdaEndpoint: String?

    public init() {}
}

public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
