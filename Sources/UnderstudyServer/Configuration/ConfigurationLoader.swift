public import AWSWire
import BedrockEngine
import Chaos
import Foundation
import JSONCore
import RequestStages
import StepFunctionsService
import Upstream
import Yams

/// Reads `understudy.yml` and `UNDERSTUDY_*` variables into a `ServerConfiguration`. Every key
/// is checked: an unknown one is an error that names it, so a typo never silently does nothing.
public enum ConfigurationLoader {
    /// The accepted keys, by section.
    static let schema: [String: Set<String>] = [
        "": [
            "server", "auth", "admin", "seed", "logLevel", "journal", "bedrock", "timeScale", "faults", "quotas", "rateLimits", "mode", "recording",
            "stepFunctions", "metrics",
        ],
        "stepFunctions": ["mockConfig", "lambdaEndpoint", "testCases"],
        "recording": ["dir", "upstream", "services", "onMiss", "redact", "volatileFields", "accounts", "secrets", "caFile", "insecureSkipVerify"],
        "server": ["host", "port", "maxBodyBytes", "shutdownGraceSeconds", "dataDir", "headerTimeoutSeconds", "idleTimeoutSeconds", "maxConnections"],
        "auth": ["mode", "credentials", "bearerTokens"],
        "auth.credentials[]": ["accessKeyId", "secretAccessKey"],
        "admin": ["token"],
        "journal": ["size"],
        "metrics": ["enabled"],
        "bedrock": ["models", "completions", "latency", "batch"],
        "bedrock.batch": ["minimumRecords", "maximumRecords", "submittedSeconds", "validatingSeconds", "scheduledSeconds", "inProgressSeconds", "stoppingSeconds", "s3"],
        "bedrock.batch.s3": ["endpoint", "region", "accessKeyId", "secretAccessKey", "sessionToken"],
    ]

    public static func apply(yaml text: String, to configuration: inout ServerConfiguration, source: String = "understudy.yml") throws {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: text) } catch { throw ConfigurationError("\(source): not valid YAML: \(error)") }
        guard let loaded else { return }
        guard let root = loaded as? [String: Any] else { throw ConfigurationError("\(source): the top level must be a mapping") }
        try checkKeys(root, section: "", source: source)
        if let server = root["server"] {
            let s = try mapping(server, "server", source)
            try checkKeys(s, section: "server", source: source)
            if let v = s["host"] { configuration.host = try host(try string(v, "server.host", source), "server.host", source, portSetting: "server.port: ") }
            if let v = s["port"] { configuration.port = try port(try int(v, "server.port", source), "server.port", source) }
            if let v = s["maxBodyBytes"] {
                configuration.maxBodyBytes = try within(try int(v, "server.maxBodyBytes", source), ConfigurationLimits.maxBodyBytes, "server.maxBodyBytes", source)
            }
            if let v = s["dataDir"] { configuration.dataDirectory = try string(v, "server.dataDir", source) }
            if let v = s["shutdownGraceSeconds"] {
                configuration.shutdownGraceSeconds = try within(
                    try int(v, "server.shutdownGraceSeconds", source), ConfigurationLimits.shutdownGraceSeconds, "server.shutdownGraceSeconds", source)
            }
            for (key, path, range) in [
                ("headerTimeoutSeconds", \ServerConfiguration.headerTimeoutSeconds, ConfigurationLimits.headerTimeoutSeconds),
                ("idleTimeoutSeconds", \.idleTimeoutSeconds, ConfigurationLimits.idleTimeoutSeconds),
                ("maxConnections", \.maxConnections, ConfigurationLimits.maxConnections),
            ] as [(String, WritableKeyPath<ServerConfiguration, Int>, ClosedRange<Int>)] {
                if let v = s[key] { configuration[keyPath: path] = try within(try int(v, "server.\(key)", source), range, "server.\(key)", source) }
            }
        }
        if let auth = root["auth"] {
            let a = try mapping(auth, "auth", source)
            try checkKeys(a, section: "auth", source: source)
            if let v = a["mode"] { configuration.authMode = try authMode(try string(v, "auth.mode", source), "auth.mode", source) }
            if let v = a["credentials"] {
                guard let list = v as? [Any] else { throw ConfigurationError("\(source): auth.credentials must be a list") }
                for (i, item) in list.enumerated() {
                    let path = "auth.credentials[\(i)]"
                    let c = try mapping(item, path, source)
                    try checkKeys(c, section: "auth.credentials[]", source: source, path: path)
                    guard let key = c["accessKeyId"], let secret = c["secretAccessKey"] else {
                        throw ConfigurationError("\(source): \(path) needs accessKeyId and secretAccessKey")
                    }
                    configuration.credentials.append(
                        SigV4Credentials(accessKeyId: try string(key, "\(path).accessKeyId", source), secretAccessKey: try string(secret, "\(path).secretAccessKey", source)))
                }
            }
            if let v = a["bearerTokens"] {
                guard let list = v as? [Any] else { throw ConfigurationError("\(source): auth.bearerTokens must be a list") }
                configuration.bearerTokens += try list.enumerated().map { try string($0.element, "auth.bearerTokens[\($0.offset)]", source) }
            }
        }
        if let admin = root["admin"] {
            let a = try mapping(admin, "admin", source)
            try checkKeys(a, section: "admin", source: source)
            if let v = a["token"] { configuration.adminToken = try adminToken(try string(v, "admin.token", source), "admin.token", source) }
        }
        if let v = root["seed"] { configuration.seed = try seed(v, "seed", source) }
        try applyRecording(root, to: &configuration, source: source)
        if let v = root["faults"] {
            configuration.faultRules = try list(v, "faults", source) { try FaultRule(json: $0, parseTimestamp: AWSTimestamp.epochMillis(iso8601:)) }
        }
        if let v = root["quotas"] {
            let entries = try rulesAndPresets(
                v, "quotas", source, preset: { QuotaEntry.preset(try QuotaPreset.named($0)) }, rule: { QuotaEntry.rule(try QuotaRule(json: $0)) })
            for entry in entries {
                switch entry {
                case .preset(let preset): configuration.quotaPresets.append(preset)
                case .rule(let rule): configuration.quotaRules.append(rule)
                }
            }
        }
        if let v = root["rateLimits"] {
            configuration.rateLimitRules = try rulesAndPresets(
                v, "rateLimits", source, preset: { try RateLimitPreset.named($0).rules }, rule: { [try RateLimitRule(json: $0)] }
            ).flatMap { $0 }
        }
        if let v = root["timeScale"] { configuration.timeScale = try timeScale(v, "timeScale", source) }
        if let stepFunctions = root["stepFunctions"] {
            let sfn = try mapping(stepFunctions, "stepFunctions", source)
            try checkKeys(sfn, section: "stepFunctions", source: source)
            if let v = sfn["mockConfig"] { configuration.mockConfigFile = try string(v, "stepFunctions.mockConfig", source) }
            if let v = sfn["testCases"] { configuration.testCaseRules += try list(v, "stepFunctions.testCases", source) { try TestCaseRule(json: $0) } }
            if let v = sfn["lambdaEndpoint"] {
                configuration.lambdaEndpoint = try upstreamURL(try string(v, "stepFunctions.lambdaEndpoint", source), "stepFunctions.lambdaEndpoint", source)
            }
        }
        if let v = root["logLevel"] { configuration.logLevel = try logLevel(try string(v, "logLevel", source), "logLevel", source) }
        if let journal = root["journal"] {
            let j = try mapping(journal, "journal", source)
            try checkKeys(j, section: "journal", source: source)
            if let v = j["size"] { configuration.journalSize = try within(try int(v, "journal.size", source), ConfigurationLimits.journalSize, "journal.size", source) }
        }
        if let metrics = root["metrics"] {
            let m = try mapping(metrics, "metrics", source)
            try checkKeys(m, section: "metrics", source: source)
            if let v = m["enabled"] {
                guard let flag = v as? Bool else { throw ConfigurationError("\(source): metrics.enabled must be true or false") }
                configuration.metricsEnabled = flag
            }
        }
        if let bedrock = root["bedrock"] {
            let b = try mapping(bedrock, "bedrock", source)
            try checkKeys(b, section: "bedrock", source: source)
            if let v = b["latency"] {
                guard let list = v as? [Any] else { throw ConfigurationError("\(source): bedrock.latency must be a list") }
                for (i, item) in list.enumerated() {
                    let path = "bedrock.latency[\(i)]"
                    var entry = try mapping(item, path, source)
                    let glob = try string(entry.removeValue(forKey: "model") ?? "*", "\(path).model", source)
                    do {
                        configuration.latency.byModel.append((glob, try LatencyProfile(json: try jsonValue(entry), context: path)))
                    } catch {
                        throw ConfigurationError("\(source): \(error)")
                    }
                }
            }
            if let v = b["completions"] {
                configuration.completionRules += try list(v, "bedrock.completions", source) { try CompletionRule(json: $0) }
            }
            if let v = b["batch"] {
                let batch = try mapping(v, "bedrock.batch", source)
                try checkKeys(batch, section: "bedrock.batch", source: source)
                var timings = configuration.batchTimings
                if let v = batch["minimumRecords"] {
                    timings.minimumRecords = try within(
                        try int(v, "bedrock.batch.minimumRecords", source), ConfigurationLimits.minimumRecords, "bedrock.batch.minimumRecords", source)
                }
                if let v = batch["maximumRecords"] {
                    timings.maximumRecords = try within(try int(v, "bedrock.batch.maximumRecords", source), ConfigurationLimits.maximumRecords, "bedrock.batch.maximumRecords", source)
                }
                let phases: [(String, WritableKeyPath<BatchTimings, Int64>)] = [
                    ("submittedSeconds", \.submittedMillis), ("validatingSeconds", \.validatingMillis), ("scheduledSeconds", \.scheduledMillis),
                    ("inProgressSeconds", \.inProgressMillis), ("stoppingSeconds", \.stoppingMillis),
                ]
                for (key, path) in phases {
                    guard let v = batch[key] else { continue }
                    // Seconds, fractions allowed; bounded so the millisecond arithmetic cannot overflow.
                    let seconds = try duration(v, "bedrock.batch.\(key)", source)
                    guard seconds <= 31_536_000 else { throw ConfigurationError("\(source): bedrock.batch.\(key) must be at most a year") }
                    timings[keyPath: path] = Int64(seconds * 1000)
                }
                configuration.batchTimings = timings
                if let v = batch["s3"] { configuration.batchStorage = try externalS3(v, source) }
            }
            if let v = b["models"] {
                configuration.additionalModels += try list(v, "bedrock.models", source) { try FoundationModel(json: $0) }
            }
        }
    }

    /// `UNDERSTUDY_HOST`, `_PORT`, `_AUTH`, `_CREDENTIALS` (`AKID:SECRET,…`), `_BEARER_TOKENS`,
    /// `_ADMIN_TOKEN`, `_SEED`, `_LOG_LEVEL`, `_MAX_BODY_BYTES`, `_DATA_DIR`. Unknown
    /// `UNDERSTUDY_*` names are errors too. `SFN_MOCK_CONFIG` (Step Functions Local's name) or
    /// else `LOCALSTACK_SFN_MOCK_CONFIG` (LocalStack's) names the mock configuration file, so
    /// the variables users already set keep working; `LAMBDA_ENDPOINT` is Step Functions
    /// Local's Lambda endpoint.
    public static func apply(environment: [String: String], to configuration: inout ServerConfiguration) throws {
        let known: Set<String> = [
            "UNDERSTUDY_HOST", "UNDERSTUDY_PORT", "UNDERSTUDY_AUTH", "UNDERSTUDY_CREDENTIALS", "UNDERSTUDY_BEARER_TOKENS", "UNDERSTUDY_ADMIN_TOKEN",
            "UNDERSTUDY_SEED", "UNDERSTUDY_LOG_LEVEL", "UNDERSTUDY_MAX_BODY_BYTES", "UNDERSTUDY_CONFIG",
            "UNDERSTUDY_TIME_SCALE", "UNDERSTUDY_DATA_DIR", "UNDERSTUDY_MODE", "UNDERSTUDY_RECORDINGS", "UNDERSTUDY_UPSTREAM",
            "UNDERSTUDY_ON_MISS", "UNDERSTUDY_UPSTREAM_CA_FILE",
        ]
        for name in environment.keys.sorted() where name.hasPrefix("UNDERSTUDY_") && !known.contains(name) {
            throw ConfigurationError("unknown environment variable \(name)")
        }
        let source = "environment"
        if let v = environment["SFN_MOCK_CONFIG"] ?? environment["LOCALSTACK_SFN_MOCK_CONFIG"], !v.isEmpty { configuration.mockConfigFile = v }
        if let v = environment["LAMBDA_ENDPOINT"], !v.isEmpty { configuration.lambdaEndpoint = try upstreamURL(v, "LAMBDA_ENDPOINT", source) }
        if let v = environment["UNDERSTUDY_HOST"] { configuration.host = try host(v, "UNDERSTUDY_HOST", source, portSetting: "UNDERSTUDY_PORT=") }
        if let v = environment["UNDERSTUDY_DATA_DIR"] { configuration.dataDirectory = v }
        if let v = environment["UNDERSTUDY_MODE"] { configuration.recording.mode = try recordingMode(v, "UNDERSTUDY_MODE", source) }
        if let v = environment["UNDERSTUDY_RECORDINGS"] { configuration.recording.directory = v }
        if let v = environment["UNDERSTUDY_UPSTREAM"] { configuration.recording.upstream = try upstreamURL(v, "UNDERSTUDY_UPSTREAM", source) }
        if let v = environment["UNDERSTUDY_ON_MISS"] { configuration.recording.onMiss = try missPolicy(v, "UNDERSTUDY_ON_MISS", source) }
        if let v = environment["UNDERSTUDY_UPSTREAM_CA_FILE"] { configuration.recording.upstreamCAFile = v }
        if let v = environment["UNDERSTUDY_PORT"] { configuration.port = try port(try int(v, "UNDERSTUDY_PORT", source), "UNDERSTUDY_PORT", source) }
        if let v = environment["UNDERSTUDY_AUTH"] { configuration.authMode = try authMode(v, "UNDERSTUDY_AUTH", source) }
        if let v = environment["UNDERSTUDY_CREDENTIALS"] {
            for item in v.split(separator: ",") { configuration.credentials.append(try credential(String(item))) }
        }
        if let v = environment["UNDERSTUDY_BEARER_TOKENS"] { configuration.bearerTokens += v.split(separator: ",").map(String.init) }
        if let v = environment["UNDERSTUDY_ADMIN_TOKEN"] { configuration.adminToken = try adminToken(v, "UNDERSTUDY_ADMIN_TOKEN", source) }
        if let v = environment["UNDERSTUDY_SEED"] { configuration.seed = try seed(v, "UNDERSTUDY_SEED", source) }
        if let v = environment["UNDERSTUDY_TIME_SCALE"] { configuration.timeScale = try timeScale(v, "UNDERSTUDY_TIME_SCALE", source) }
        if let v = environment["UNDERSTUDY_LOG_LEVEL"] { configuration.logLevel = try logLevel(v, "UNDERSTUDY_LOG_LEVEL", source) }
        if let v = environment["UNDERSTUDY_MAX_BODY_BYTES"] {
            configuration.maxBodyBytes = try within(try int(v, "UNDERSTUDY_MAX_BODY_BYTES", source), ConfigurationLimits.maxBodyBytes, "UNDERSTUDY_MAX_BODY_BYTES", source)
        }
    }

    /// Parses `AKID:SECRET` (the secret may itself contain `:`).
    public static func credential(_ text: String) throws -> SigV4Credentials {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else {
            throw ConfigurationError("credentials must look like ACCESS_KEY_ID:SECRET")
        }
        return SigV4Credentials(accessKeyId: String(text[..<colon]), secretAccessKey: String(text[text.index(after: colon)...]))
    }

    // MARK: - Checked conversions

    /// `bedrock.batch.s3`: the endpoint, its region, and credentials (else the process's
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`); an `https`
    /// endpoint goes through `HTTPS_PROXY` when the environment names one.
    static func externalS3(_ value: Any, _ source: String) throws -> ExternalS3Endpoint {
        let s3 = try mapping(value, "bedrock.batch.s3", source)
        try checkKeys(s3, section: "bedrock.batch.s3", source: source)
        guard let v = s3["endpoint"] else { throw ConfigurationError("\(source): bedrock.batch.s3.endpoint is required") }
        let url = try string(v, "bedrock.batch.s3.endpoint", source)
        guard let endpoint = UpstreamEndpoint(url: url) else {
            throw ConfigurationError("\(source): bedrock.batch.s3.endpoint must be http://host[:port] or https://host[:port], not \(url)")
        }
        let region = try s3["region"].map { try string($0, "bedrock.batch.s3.region", source) } ?? "us-east-1"
        let environment = ProcessInfo.processInfo.environment
        let key = try s3["accessKeyId"].map { try string($0, "bedrock.batch.s3.accessKeyId", source) } ?? environment["AWS_ACCESS_KEY_ID"]
        let secret = try s3["secretAccessKey"].map { try string($0, "bedrock.batch.s3.secretAccessKey", source) } ?? environment["AWS_SECRET_ACCESS_KEY"]
        let token = try s3["sessionToken"].map { try string($0, "bedrock.batch.s3.sessionToken", source) } ?? environment["AWS_SESSION_TOKEN"]
        guard let key, !key.isEmpty, let secret, !secret.isEmpty else {
            throw ConfigurationError(
                "\(source): bedrock.batch.s3 needs accessKeyId and secretAccessKey (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment)")
        }
        // Read only for https, which is all a proxy carries: a bad HTTPS_PROXY must not break
        // an http endpoint that never uses it.
        var proxy: UpstreamProxy?
        do {
            if endpoint.scheme == .https { proxy = try UpstreamProxy.fromEnvironment(environment) }
        } catch {
            throw ConfigurationError("\(source): bedrock.batch.s3: \(error)")
        }
        return ExternalS3Endpoint(
            endpoint: endpoint, region: region, credentials: SigV4Credentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token), proxy: proxy)
    }

    static func checkKeys(_ map: [String: Any], section: String, source: String, path: String? = nil) throws {
        let allowed = schema[section] ?? []
        for key in map.keys.sorted() where !allowed.contains(key) {
            let where_ = path ?? section
            let full = where_.isEmpty ? key : "\(where_).\(key)"
            throw ConfigurationError("\(source): unknown key '\(full)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func mapping(_ value: Any, _ path: String, _ source: String) throws -> [String: Any] {
        guard let m = value as? [String: Any] else { throw ConfigurationError("\(source): \(path) must be a mapping") }
        return m
    }

    static func string(_ value: Any, _ path: String, _ source: String) throws -> String {
        if let s = value as? String { return s }
        if let i = value as? Int { return String(i) }
        throw ConfigurationError("\(source): \(path) must be a string")
    }

    static func int(_ value: Any, _ path: String, _ source: String) throws -> Int {
        if let i = value as? Int { return i }
        if let s = value as? String, let i = Int(s) { return i }
        throw ConfigurationError("\(source): \(path) must be an integer")
    }

    /// A whole number in `range`; the error names the setting and the range.
    public static func within(_ value: Int, _ range: ClosedRange<Int>, _ path: String, _ source: String?) throws -> Int {
        guard range.contains(value) else {
            throw ConfigurationError("\(source.map { "\($0): " } ?? "")\(path) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func port(_ value: Int, _ path: String, _ source: String) throws -> Int {
        guard (0...65535).contains(value) else { throw ConfigurationError("\(source): \(path) must be a port number (0-65535)") }
        return value
    }

    static func seed(_ value: Any, _ path: String, _ source: String) throws -> UInt64 {
        if let i = value as? Int, i >= 0 { return UInt64(i) }
        if let s = value as? String, let u = UInt64(s) { return u }
        throw ConfigurationError("\(source): \(path) must be a non-negative integer")
    }

    public static func timeScale(_ value: Any, _ path: String, _ source: String?) throws -> Double {
        let number: Double? = (value as? Double) ?? (value as? Int).map(Double.init) ?? (value as? String).flatMap(Double.init)
        let range = ConfigurationLimits.timeScale
        guard let number, range.contains(number) else {
            throw ConfigurationError(
                "\(source.map { "\($0): " } ?? "")\(path) must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)) (1 real time, 0 instant)")
        }
        return number
    }

    static func duration(_ value: Any, _ path: String, _ source: String) throws -> Double {
        let number: Double? = (value as? Double) ?? (value as? Int).map(Double.init) ?? (value as? String).flatMap(Double.init)
        guard let number, number >= 0, number.isFinite else { throw ConfigurationError("\(source): \(path) must be a number of seconds >= 0") }
        return number
    }

    /// The admin token, sent as `Authorization: Bearer TOKEN`: so not empty, and no spaces.
    public static func adminToken(_ text: String, _ path: String, _ source: String?) throws -> String {
        let prefix = source.map { "\($0): " } ?? ""
        guard !text.isEmpty, !text.contains(where: { $0.isWhitespace }) else {
            throw ConfigurationError("\(prefix)\(path) must be a non-empty token without spaces")
        }
        return text
    }

    static func authMode(_ text: String, _ path: String, _ source: String) throws -> AuthMode {
        guard let mode = AuthMode(rawValue: text) else {
            throw ConfigurationError("\(source): \(path) must be one of \(AuthMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return mode
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    static func logLevel(_ text: String, _ path: String, _ source: String) throws -> String {
        guard logLevels.contains(text) else { throw ConfigurationError("\(source): \(path) must be one of \(logLevels.joined(separator: ", "))") }
        return text
    }

    /// A list of rules, each read from its JSON form; errors name the item.
    private enum QuotaEntry {
        case preset(QuotaPreset)
        case rule(QuotaRule)
    }

    /// A section that is one preset's name, or a list of rules and presets (`NAME` or
    /// `{preset: NAME}`), read in order since the order of rules decides which matches first.
    static func rulesAndPresets<Entry>(
        _ value: Any, _ key: String, _ source: String, preset: (String) throws -> Entry, rule: (JSONValue) throws -> Entry
    ) throws -> [Entry] {
        let items = (value as? String).map { [$0] as [Any] } ?? value
        return try list(items, key, source) { json in
            if let name = json.stringValue ?? json["preset"]?.stringValue { return try preset(name) }
            return try rule(json)
        }
    }

    static func list<Rule>(_ value: Any, _ key: String, _ source: String, _ make: (JSONValue) throws -> Rule) throws -> [Rule] {
        guard let items = value as? [Any] else { throw ConfigurationError("\(source): \(key) must be a list") }
        var rules: [Rule] = []
        for (i, item) in items.enumerated() {
            do {
                rules.append(try make(try jsonValue(item)))
            } catch {
                throw ConfigurationError("\(source): \(key)[\(i)]: \(error)")
            }
        }
        return rules
    }

    static func jsonValue(_ value: Any) throws -> JSONValue {
        switch value {
        case let b as Bool: return .bool(b)
        case let i as Int: return JSONValue(i)
        case let d as Double: return JSONValue(d)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(try a.map(jsonValue))
        case let m as [String: Any]:
            var o = JSONObject()
            for key in m.keys.sorted() { o[key] = try jsonValue(m[key]!) }
            return .object(o)
        case is NSNull: return .null
        default: throw ConfigurationError("unsupported YAML value \(value)")
        }
    }
}
