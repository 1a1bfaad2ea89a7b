// JSON parse/serialize throughput, event-stream frames/s and SigV4 verification time.
// Run: cd Benchmarks && swift run -c release CodecBenchmarks
import AWSWire
import BenchmarkSupport
import Foundation
import JSONCore

/// Runs `body` repeatedly for about `seconds` and returns the mean time per call in seconds.
/// A Bedrock-like document of roughly `bytes` bytes: messages with text, numbers, nesting.
func document(approximateBytes bytes: Int) -> [UInt8] {
    var messages: [JSONValue] = []
    var random = SystemRandomNumberGenerator()
    _ = random
    var i = 0
    var size = 0
    while size < bytes {
        let text = "Question \(i): how does the retry policy with BackoffRate 2.0 behave after \(i % 7) attempts? é ü 😀"
        let message: JSONValue = [
            "role": i % 2 == 0 ? "user" : "assistant",
            "content": [["type": "text", "text": .string(text)]],
            "metadata": ["index": JSONValue(i), "score": JSONValue(Double(i) * 0.125), "flags": [true, false, nil]],
        ]
        size += message.jsonBytes.count + 1
        messages.append(message)
        i += 1
    }
    let root: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024, "messages": .array(messages)]
    return root.jsonBytes
}

func report(_ name: String, bytes: Int, seconds: Double) {
    let mbps = Double(bytes) / seconds / 1_000_000
    print(String(format: "%-34@ %10.1f MB/s  (%.1f µs per document)", name as NSString, mbps, seconds * 1e6))
}

/// `CodecBenchmarks parse` runs only the JSON parse cases (for profiling); no argument runs all.
let only = CommandLine.arguments.dropFirst().first
if only == "parse" {
    for size in [10_000, 1_000_000] {
        let bytes = document(approximateBytes: size)
        report("JSON parse \(size / 1000) KB", bytes: bytes.count, seconds: try measure(seconds: 4) { _ = try JSONParser.parse(bytes) })
    }
    exit(0)
}

for (label, size) in [("10 KB", 10_000), ("1 MB", 1_000_000)] {
    let bytes = document(approximateBytes: size)
    let value = try JSONParser.parse(bytes)
    report("JSON parse \(label)", bytes: bytes.count, seconds: try measure { _ = try JSONParser.parse(bytes) })
    report("JSON serialize \(label)", bytes: bytes.count, seconds: measure { _ = JSONWriter.bytes(value) })
    let data = Data(bytes)
    report("Foundation JSONSerialization \(label)", bytes: bytes.count, seconds: try measure { _ = try JSONSerialization.jsonObject(with: data) })
}

// Event-stream: a Bedrock `chunk` event carrying a base64 payload, as streams send it.
let chunkPayload = Array(#"{"bytes":"eyJ0eXBlIjoiY29udGVudF9ibG9ja19kZWx0YSIsImluZGV4IjowLCJkZWx0YSI6eyJ0eXBlIjoidGV4dF9kZWx0YSIsInRleHQiOiIgSGVsbG8ifX0=","p":"abcdefghijklmnopqrstuvwxyzABCDEF"}"#.utf8)
let message = EventStreamMessage.event("chunk", payload: chunkPayload)
let batch = 1000
let encodeSeconds = try measure {
    var out: [UInt8] = []
    out.reserveCapacity(batch * 256)
    for _ in 0..<batch { try EventStreamEncoder.encode(message, into: &out) }
}
print(String(format: "%-34@ %10.0f frames/s", "event-stream encode" as NSString, Double(batch) / encodeSeconds))
var encoded: [UInt8] = []
for _ in 0..<batch { try EventStreamEncoder.encode(message, into: &encoded) }
let decodeSeconds = try measure {
    var decoder = EventStreamDecoder()
    decoder.feed(encoded)
    while try decoder.next() != nil {}
}
print(String(format: "%-34@ %10.0f frames/s", "event-stream decode" as NSString, Double(batch) / decodeSeconds))

// SigV4: verify a signed InvokeModel request (canonical request, key derivation, HMACs).
let credentials = SigV4Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
let body = document(approximateBytes: 2_000)
var request = HTTPRequestParts(
    method: "POST", path: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
    headers: [("Host", "localhost:4566"), ("Content-Type", "application/json"), ("Accept", "application/json")])
let now: Int64 = 1_716_552_000
SigV4Signer(credentials: credentials, region: "us-east-1", service: "bedrock")
    .sign(&request, amzDate: AWSTimestamp.amzDate(epochSeconds: now), payloadHash: Digest.sha256Hex(body))
let verifier = SigV4Verifier { _ in credentials.secretAccessKey }
let verifySeconds = try measure { _ = try verifier.verify(request, body: body, now: now) }
print(String(format: "%-34@ %10.1f µs per request (2 KB body)", "SigV4 verify" as NSString, verifySeconds * 1e6))
