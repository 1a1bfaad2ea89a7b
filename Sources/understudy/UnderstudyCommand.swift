public import ArgumentParser
import Foundation
import HTTPEdge
import JSONCore
import Logging
import RequestStages
import StatesEngine
import StepFunctionsService
import UnderstudyServer

@main
struct UnderstudyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "understudy",
        abstract: "AWS Step Functions and Amazon Bedrock (plus the S3 they need) on localhost.",
        // BuildInfo.commit is written by Plugins/BuildInfoPlugin, rerun whenever git HEAD moves.
        version: "understudy \(UnderstudyVersion.current) (commit \(BuildInfo.commit))",
        subcommands: [Serve.self, Validate.self, Run.self, RecordingsCommand.self],
        defaultSubcommand: Serve.self)
}

extension AuthMode: ExpressibleByArgument {}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve every emulated AWS API on one port (the default command).",
        discussion: """
            Settings are layered: built-in defaults, then the --config file, then UNDERSTUDY_* \
            environment variables, then these flags.
            """)

    @Option(help: "Address to bind (default 127.0.0.1; use 0.0.0.0 only on purpose).")
    var host: String?

    @Option(help: "Port to bind (default 4566; 0 picks a free port).")
    var port: Int?

    @Option(help: "YAML configuration file (also UNDERSTUDY_CONFIG).")
    var config: String?

    @Option(help: "Authentication: lenient (default), strict or off.")
    var auth: AuthMode?

    @Option(name: .customLong("credentials"), help: "ACCESS_KEY_ID:SECRET accepted in strict mode (repeatable).")
    var credentials: [String] = []

    @Option(name: .customLong("bearer-token"), help: "Bedrock API key accepted in strict mode (repeatable).")
    var bearerTokens: [String] = []

    @Option(help: "Token that opens the admin API (/_understudy/…) in strict mode, sent as Authorization: Bearer TOKEN.")
    var adminToken: String?

    @Option(help: "The seed every random stream derives from (default 0).")
    var seed: UInt64?

    @Option(help: "Execution time scale for waits and retry backoff: 1 real time (default), 0.01 a hundred times faster, 0 instant.")
    var timeScale: Double?

    @Option(help: "trace, debug, info (default), notice, warning, error or critical.")
    var logLevel: String?

    @Option(help: "Largest request body accepted, in bytes (default 67108864).")
    var maxBodyBytes: Int?

    @Flag(name: .customLong("no-metrics"), help: "Count nothing for /_understudy/metrics, which then answers 404 (metrics.enabled: false).")
    var noMetrics = false

    @Option(help: "Step Functions Local's MockConfigFile.json (also SFN_MOCK_CONFIG); choose a test case with stateMachineArn#TestCase.")
    var mockConfig: String?

    @Option(help: "A Lambda Invoke API endpoint Lambda Tasks call, e.g. sam local start-lambda's http://127.0.0.1:3001 (also LAMBDA_ENDPOINT).")
    var lambdaEndpoint: String?

    @Option(help: "Keep S3 objects in this directory (default: in memory).")
    var dataDir: String?

    @Option(help: "emulate (default), record (forward to AWS and keep what it answers) or replay (answer from --recordings).")
    var mode: String?

    @Option(help: "The recording session's directory (record and replay modes).")
    var recordings: String?

    @Option(help: "Forward recorded calls to this base URL instead of each service's regional AWS endpoint.")
    var upstream: String?

    @Option(help: "What replay does with a call it has no recording of: error (default), emulate or record.")
    var onMiss: String?

    @Option(help: "A PEM file of certificate authorities trusted for the upstream, beside the system's.")
    var upstreamCaFile: String?

    func resolvedConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        let environment = ProcessInfo.processInfo.environment
        if let path = config ?? environment["UNDERSTUDY_CONFIG"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError("cannot read configuration file \(path)")
            }
            try ConfigurationLoader.apply(yaml: text, to: &configuration, source: path)
        }
        try ConfigurationLoader.apply(environment: environment, to: &configuration)
        if let host { configuration.host = try ConfigurationLoader.host(host, "--host", nil, portSetting: "--port ") }
        if let port {
            guard (0...65535).contains(port) else { throw ConfigurationError("--port must be 0-65535 (0 picks a free port)") }
            configuration.port = port
        }
        if let auth { configuration.authMode = auth }
        for item in credentials { configuration.credentials.append(try ConfigurationLoader.credential(item)) }
        configuration.bearerTokens += bearerTokens
        if let adminToken { configuration.adminToken = try ConfigurationLoader.adminToken(adminToken, "--admin-token", nil) }
        if let seed { configuration.seed = seed }
        if let timeScale { configuration.timeScale = try ConfigurationLoader.timeScale(timeScale, "--time-scale", nil) }
        if let logLevel {
            guard Logger.Level(rawValue: logLevel) != nil else { throw ConfigurationError("--log-level must be trace, debug, info, notice, warning, error or critical") }
            configuration.logLevel = logLevel
        }
        if let dataDir { configuration.dataDirectory = dataDir }
        if let mockConfig { configuration.mockConfigFile = mockConfig }
        if let lambdaEndpoint { configuration.lambdaEndpoint = try ConfigurationLoader.upstreamURL(lambdaEndpoint, "--lambda-endpoint", nil) }
        if let maxBodyBytes {
            configuration.maxBodyBytes = try ConfigurationLoader.within(maxBodyBytes, ConfigurationLimits.maxBodyBytes, "--max-body-bytes", nil)
        }
        if noMetrics { configuration.metricsEnabled = false }
        if let mode { configuration.recording.mode = try ConfigurationLoader.recordingMode(mode, "--mode", nil) }
        if let recordings { configuration.recording.directory = recordings }
        if let upstream { configuration.recording.upstream = try ConfigurationLoader.upstreamURL(upstream, "--upstream", nil) }
        if let onMiss { configuration.recording.onMiss = try ConfigurationLoader.missPolicy(onMiss, "--on-miss", nil) }
        if let upstreamCaFile { configuration.recording.upstreamCAFile = upstreamCaFile }
        if configuration.recording.mode != .emulate, configuration.recording.directory == nil {
            throw ConfigurationError("--mode \(configuration.recording.mode.rawValue) needs --recordings DIR (or recording.dir in the file)")
        }
        if configuration.authMode == .strict, configuration.credentials.isEmpty, configuration.bearerTokens.isEmpty {
            throw ConfigurationError("strict auth needs --credentials ACCESS_KEY_ID:SECRET or a bearer token")
        }
        return configuration
    }

    func run() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try resolvedConfiguration()
        } catch let error as ConfigurationError {
            throw CommandFailure.invalid(error.message)
        }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "understudy")
        let pipeline = try RequestPipeline(configuration: configuration, logger: logger)
        // A failure to bind is a ServerBindError naming the address and the fix; ArgumentParser
        // prints it and exits 1, as for any failure at run time.
        let server = try await UnderstudyHTTPServer.start(pipeline: pipeline, settings: configuration.edgeSettings, logger: logger)
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        logger.info(
            "Understudy \(UnderstudyVersion.current) listening on http://\(host):\(server.port) (auth \(configuration.authMode.rawValue), seed \(configuration.seed))")
        await server.runUntilSignalled()
        await pipeline.finishRecordings(limit: .seconds(max(1, configuration.shutdownGraceSeconds)))
    }
}

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a state machine definition; prints diagnostics as ValidateStateMachineDefinition gives them.")

    @Argument(help: "The definition file (ASL JSON).")
    var file: String

    func run() async throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandFailure.invalid("cannot read \(file)") }
        let result = LocalRunner.validate(text)
        print(result.prettyPrinted())
        if result["result"]?.stringValue != "OK" { throw ExitCode(1) }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a state machine without a server; prints status, output and the states visited.")

    @Argument(help: "The definition file (ASL JSON).")
    var file: String

    @Option(help: "The execution input (JSON text).")
    var input: String = "{}"

    @Option(help: "Time scale for waits and retry backoff: 1 real time (default), 0 instant.")
    var timeScale: Double = 1

    @Option(help: "The seed for generated completions and random streams.")
    var seed: UInt64 = 0

    func run() async throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CommandFailure.invalid("cannot read \(file)") }
        do { _ = try ConfigurationLoader.timeScale(timeScale, "--time-scale", nil) } catch let error as ConfigurationError {
            throw CommandFailure.invalid(error.message)
        }
        let result: JSONValue
        do {
            result = try await LocalRunner.run(definition: text, input: input, timeScale: timeScale, seed: seed)
        } catch {
            throw CommandFailure.invalid("\(error)")
        }
        print(result.prettyPrinted())
        // The result stays on stdout for scripts that read it; the exit code and one line on
        // stderr say the execution failed, so `understudy run … && next` stops there.
        let status = result["status"]?.stringValue ?? "UNKNOWN"
        if status != ExecutionStatus.succeeded.rawValue {
            var summary = "the execution did not succeed: \(status)"
            if let error = result["error"] { summary += ", error \(error.jsonString)" }
            if let cause = result["cause"] { summary += ", cause \(cause.jsonString)" }
            throw CommandFailure.failed(summary)
        }
    }
}
