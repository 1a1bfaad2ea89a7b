// What metrics cost per call, in process: InvokeModel through the test harness's in-memory
// server (the whole pipeline and the edge's rendering, no socket) with metrics on and with
// them off, the two alternating for several rounds. No wrk and no network, so other load on
// the machine moves both sides of a round alike; `Benchmarks/metrics.sh` is the same question
// over HTTP. Target: on within 5% of off.
import JSONCore
import UnderstudyServer
import UnderstudyTesting

let model = "anthropic.claude-3-5-haiku-20241022-v1:0"
let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 200, "messages": [["role": "user", "content": "benchmark prompt"]]]
let clock = ContinuousClock()
let calls = 20_000

/// Mean microseconds per InvokeModel on a fresh server, after a warm-up.
func perCall(metrics: Bool) async throws -> Double {
    var configuration = ServerConfiguration()
    configuration.metricsEnabled = metrics
    return try await Understudy.withServer(.inMemory(configuration)) { server in
        for _ in 0..<500 { _ = try await server.bedrock.invokeModel(model, body: body) }
        let start = clock.now
        for _ in 0..<calls { _ = try await server.bedrock.invokeModel(model, body: body) }
        let (seconds, attoseconds) = start.duration(to: clock.now).components
        return (Double(seconds) * 1e6 + Double(attoseconds) / 1e12) / Double(calls)
    }
}

var ratios: [Double] = []
print("| round | off µs/call | on µs/call | on/off time |")
print("| --- | --- | --- | --- |")
for round in 1...7 {
    // Alternate which goes first, so neither always runs on a warmer machine.
    let off: Double, on: Double
    if round % 2 == 1 {
        off = try await perCall(metrics: false)
        on = try await perCall(metrics: true)
    } else {
        on = try await perCall(metrics: true)
        off = try await perCall(metrics: false)
    }
    ratios.append(on / off)
    print("| \(round) | \(fixed(off)) | \(fixed(on)) | \(fixed(on / off * 100))% |")
}
print("median time with metrics on over off: \(fixed(ratios.sorted()[ratios.count / 2] * 100))% (\(calls) calls a side per round)")

func fixed(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
