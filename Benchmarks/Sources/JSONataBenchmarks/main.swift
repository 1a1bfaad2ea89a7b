// The cost of one JSONata state's templates: seed 003's Arguments (a Bedrock Messages body
// built with `&`) and its Output (a path into $states.result), with $states bound as the
// interpreter binds it for every state.
// Run: cd Benchmarks && swift run -c release JSONataBenchmarks
import BenchmarkSupport
import Foundation
import JSONCore
import JSONata

let arguments = try JSONParser.parse(#"""
    {"ModelId": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
     "Body": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 800,
              "messages": [{"role": "user", "content": [{"type": "text",
                "text": "{% 'Answer following question thoroughly, using the following description. Question: ' & $states.input.question & ' Description: ' & $states.input.description %}"}]}]}}
    """#)
let input = try JSONParser.parse(#"{"question": "What is your pricing model?", "description": "AnyCompany Tech builds robust systems with strong security."}"#)
let context = try JSONParser.parse(#"""
    {"Execution": {"Id": "arn:aws:states:us-east-1:000000000000:execution:Rfp:e1", "Input": {}, "StartTime": "2026-11-22T10:00:00.000Z",
     "Name": "e1", "RoleArn": "arn:aws:iam::000000000000:role/r", "RedriveCount": 0},
     "StateMachine": {"Id": "arn:aws:states:us-east-1:000000000000:stateMachine:Rfp", "Name": "Rfp"},
     "State": {"Name": "Bedrock InvokeModel", "EnteredTime": "2026-11-22T10:00:00.000Z", "RetryCount": 0}}
    """#)
let result = try JSONParser.parse(#"{"Body": {"id": "msg_1", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "Usage-based, with volume tiers."}], "stop_reason": "end_turn", "usage": {"input_tokens": 40, "output_tokens": 9}}, "ContentType": "application/json"}"#)

nonisolated(unsafe) var compiled: [String: JSONataExpression] = [:]
func expression(in value: JSONValue) -> String? {
    guard case .string(let s) = value, s.hasPrefix("{%"), s.hasSuffix("%}") else { return nil }
    var inner = s.dropFirst(2).dropLast(2)
    while inner.first == " " { inner = inner.dropFirst() }
    while inner.last == " " { inner = inner.dropLast() }
    return String(inner)
}
func collect(_ v: JSONValue) {
    switch v {
    case .string: if let e = expression(in: v) { compiled[e] = try! JSONataExpression(e) }
    case .object(let o): o.values.forEach(collect)
    case .array(let a): a.forEach(collect)
    default: break
    }
}
collect(arguments)
let output: JSONValue = ["completion": "{% $states.result.Body.content[0].text %}"]
collect(output)

func evaluate(_ template: JSONValue, _ bindings: JSONataBindings) throws -> JSONValue {
    switch template {
    case .string:
        guard let e = expression(in: template), case .value(let v) = try compiled[e]!.evaluate(bindings) else { return template }
        return v
    case .object(let o):
        var out = JSONObject(minimumCapacity: o.count)
        for m in o.storage { out[m.key] = try evaluate(m.value, bindings) }
        return .object(out)
    case .array(let a): return .array(try a.map { try evaluate($0, bindings) })
    default: return template
    }
}

let argumentsTime = try measure(warmUp: 100) {
    var bindings = JSONataBindings()
    bindings.bind("states", member: "input", input)
    bindings.bind("states", member: "context", context)
    _ = try evaluate(arguments, bindings)
}
let outputTime = try measure(warmUp: 100) {
    var bindings = JSONataBindings()
    bindings.bind("states", member: "input", input)
    bindings.bind("states", member: "context", context)
    bindings.bind("states", member: "result", result)
    _ = try evaluate(output, bindings)
}
let parseTime = try measure(warmUp: 100) { _ = try JSONataExpression("$states.input.items[price > 10]{category: $sum(price)} ~> $keys()") }
print(String(format: "Arguments template (seed 003, $states bound): %.1f µs", argumentsTime * 1e6))
print(String(format: "Output template ($states.result path):        %.1f µs", outputTime * 1e6))
print(String(format: "Compile a grouping expression:                %.1f µs", parseTime * 1e6))
let bindOnly = measure(warmUp: 100) {
    var bindings = JSONataBindings()
    bindings.bind("states", member: "input", input)
    bindings.bind("states", member: "context", context)
}
let evalOnly: Double = try {
    var bindings = JSONataBindings()
    bindings.bind("states", member: "input", input)
    bindings.bind("states", member: "context", context)
    return try measure(warmUp: 100) { _ = try evaluate(arguments, bindings) }
}()
print(String(format: "  of which binding $states: %.1f µs, evaluating: %.1f µs", bindOnly * 1e6, evalOnly * 1e6))
let concat = try JSONataExpression("'Answer following question thoroughly, using the following description. Question: ' & $states.input.question & ' Description: ' & $states.input.description")
let exprOnly: Double = try {
    var bindings = JSONataBindings()
    bindings.bind("states", member: "input", input)
    bindings.bind("states", member: "context", context)
    return try measure(warmUp: 100) { _ = try concat.evaluate(bindings) }
}()
print(String(format: "  the one expression alone: %.1f µs", exprOnly * 1e6))
