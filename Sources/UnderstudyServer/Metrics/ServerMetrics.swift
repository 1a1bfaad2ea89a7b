import CoreMetrics
import Prometheus

/// The server's metrics, for `GET /_understudy/metrics` in Prometheus' text format.
///
/// Every `RequestPipeline` owns one, with its own `PrometheusCollectorRegistry` and a
/// `PrometheusMetricsFactory` over it, and makes each metric through swift-metrics' API with
/// that factory passed explicitly (`CoreMetrics.Counter(label:dimensions:factory:)`), never through
/// `MetricsSystem.bootstrap`. Bootstrapping is process-global and allowed once per process,
/// while the Swift tests and the `UnderstudyTesting` harness start many servers in one
/// process: with a shared registry two servers would add up each other's calls, and a second
/// bootstrap would trap. A program that embeds Understudy stays free to bootstrap the global
/// system for its own metrics; the server never touches it.
///
/// Counts are taken where things happen, through protocols the lower modules declare
/// (`CallObserver` in the journal stage, `ExecutionObserver` in Step Functions,
/// `BedrockUsageObserver` in the Bedrock front end and batch jobs), so only this composition
/// root imports swift-metrics and swift-prometheus. With `metrics.enabled: false` the pipeline
/// makes none and passes no observer: the hot path pays one nil check.
final class ServerMetrics: Sendable {
    /// Metric names and label names, Prometheus' conventions (`_total`, `_seconds`, snake_case).
    enum Name {
        static let requests = "understudy_requests_total"
        static let requestDuration = "understudy_request_duration_seconds"
        static let faultsInjected = "understudy_faults_injected_total"
        static let quotaThrottles = "understudy_quota_throttles_total"
        static let rateLimitThrottles = "understudy_rate_limit_throttles_total"
        static let executionsStarted = "understudy_executions_started_total"
        static let executionsFinished = "understudy_executions_finished_total"
        static let inputTokens = "understudy_bedrock_input_tokens_total"
        static let outputTokens = "understudy_bedrock_output_tokens_total"
        static let batchRecords = "understudy_bedrock_batch_records_processed_total"
    }

    /// From half a millisecond (an answer that never leaves the event loop) to ten seconds (a
    /// synchronous execution, a simulated model latency).
    static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// What one call's answer moves: its count and its latency histogram (by service and
    /// operation only, so the buckets do not multiply by every status).
    struct CallMetrics: Sendable {
        let requests: CoreMetrics.Counter
        let duration: CoreMetrics.Timer
    }

    struct CallKey: Hashable, Sendable {
        let service: String
        let operation: String
        let status: Int
    }

    struct FinishKey: Hashable, Sendable {
        let type: String
        let status: String
    }

    /// A pair of counters for one label value (input and output tokens, succeeded and failed
    /// records).
    struct CounterPair: Sendable {
        let first: CoreMetrics.Counter
        let second: CoreMetrics.Counter
    }

    let registry: PrometheusCollectorRegistry
    let calls: MetricCache<CallKey, CallMetrics>
    /// By what decided the answer as the journal spells it: a fault rule's name,
    /// `quota:NAME` or `rateLimit:NAME`.
    let decided: MetricCache<String, CoreMetrics.Counter>
    let started: MetricCache<String, CoreMetrics.Counter>
    let finished: MetricCache<FinishKey, CoreMetrics.Counter>
    let tokens: MetricCache<String, CounterPair>
    let batchRecords: MetricCache<String, CounterPair>

    init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Name.requestDuration] = Self.durationBuckets
        self.registry = registry
        calls = MetricCache { [factory] key in
            CallMetrics(
                requests: CoreMetrics.Counter(
                    label: Name.requests, dimensions: [("service", key.service), ("operation", key.operation), ("status", String(key.status))], factory: factory),
                duration: CoreMetrics.Timer(label: Name.requestDuration, dimensions: [("service", key.service), ("operation", key.operation)], factory: factory))
        }
        decided = MetricCache { [factory] decision in
            if decision.hasPrefix(Self.quotaPrefix) {
                return CoreMetrics.Counter(label: Name.quotaThrottles, dimensions: [("quota", String(decision.dropFirst(Self.quotaPrefix.count)))], factory: factory)
            }
            if decision.hasPrefix(Self.rateLimitPrefix) {
                return CoreMetrics.Counter(
                    label: Name.rateLimitThrottles, dimensions: [("rate_limit", String(decision.dropFirst(Self.rateLimitPrefix.count)))], factory: factory)
            }
            return CoreMetrics.Counter(label: Name.faultsInjected, dimensions: [("rule", decision)], factory: factory)
        }
        started = MetricCache { [factory] type in CoreMetrics.Counter(label: Name.executionsStarted, dimensions: [("type", type)], factory: factory) }
        finished = MetricCache { [factory] key in
            CoreMetrics.Counter(label: Name.executionsFinished, dimensions: [("type", key.type), ("status", key.status)], factory: factory)
        }
        tokens = MetricCache { [factory] model in
            CounterPair(
                first: CoreMetrics.Counter(label: Name.inputTokens, dimensions: [("model", model)], factory: factory),
                second: CoreMetrics.Counter(label: Name.outputTokens, dimensions: [("model", model)], factory: factory))
        }
        batchRecords = MetricCache { [factory] model in
            CounterPair(
                first: CoreMetrics.Counter(label: Name.batchRecords, dimensions: [("model", model), ("result", "succeeded")], factory: factory),
                second: CoreMetrics.Counter(label: Name.batchRecords, dimensions: [("model", model), ("result", "failed")], factory: factory))
        }
    }

    /// How the journal marks an answer a quota or a rate limit refused (`Reply.fault`).
    static let quotaPrefix = "quota:"
    static let rateLimitPrefix = "rateLimit:"

    /// The content type of Prometheus' text exposition format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Every metric made so far, in the text exposition format.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
