// Start-up of UnderstudyTesting's in-process server (on a socket) and in-memory server (none):
// from `Understudy.withServer` being called to the first InvokeModel answered through it, and
// the stop after the closure, for 200 servers of each one after another. Issue 21's target:
// the first answer within 20 ms.
import JSONCore
import UnderstudyTesting

let model = "anthropic.claude-3-haiku-20240307-v1:0"
let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 32, "messages": [["role": "user", "content": "Hi"]]]
let clock = ContinuousClock()

func measure(_ target: UnderstudyTarget) async throws {
    var firstAnswers: [Double] = []
    var stops: [Double] = []
    for round in 0..<210 {
        let called = clock.now
        var answered = called
        try await Understudy.withServer(target) { server in
            _ = try await server.bedrock.invokeModel(model, body: body)
            answered = clock.now
        }
        let stopped = clock.now
        guard round >= 10 else { continue }  // warm-up: NIO's shared loops, the allocator
        firstAnswers.append(milliseconds(called.duration(to: answered)))
        stops.append(milliseconds(answered.duration(to: stopped)))
    }
    print("\(target): servers: \(firstAnswers.count)")
    print("  start to first answer: p50 \(format2(percentile(firstAnswers, 0.5))) ms, p90 \(format2(percentile(firstAnswers, 0.9))) ms")
    print("  stop: p50 \(format2(percentile(stops, 0.5))) ms, p90 \(format2(percentile(stops, 0.9))) ms")
}

try await measure(.inProcess)
try await measure(.inMemory)

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func format2(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
