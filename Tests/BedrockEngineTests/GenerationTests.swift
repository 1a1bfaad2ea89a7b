import AWSWire
import BedrockEngine
import Determinism
import JSONCore
import XCTest

final class GenerationTests: XCTestCase {
    func testTokenCounterRule() {
        XCTAssertEqual(TokenCounter.count("Hello, world!"), 4)
        XCTAssertEqual(TokenCounter.count("internationalization"), 4)
        XCTAssertEqual(TokenCounter.count("  \n "), 0)
        XCTAssertEqual(TokenCounter.count("é"), 1)
        XCTAssertEqual(TokenCounter.count("a b c"), 3)
        // Each non-ASCII scalar is one token, however many bytes it takes; a combining mark
        // and an emoji modifier are scalars of their own.
        XCTAssertEqual(TokenCounter.count("日本語"), 3)
        XCTAssertEqual(TokenCounter.count("👍🏽 ok"), 3)
        XCTAssertEqual(TokenCounter.count("e\u{301}t\u{E9}"), 4)
        XCTAssertEqual(TokenCounter.count("naïveté résumé"), 8)
    }

    func testPrefixNeverExceedsTheLimit() {
        let text = "The quick brown fox, internationalization jumps over 12345 lazy dogs. Ünïcode too!"
        for limit in 0...TokenCounter.count(text) + 2 {
            let prefix = TokenCounter.prefix(text, tokens: limit)
            XCTAssertLessThanOrEqual(TokenCounter.count(prefix), limit)
            XCTAssertTrue(text.hasPrefix(prefix))
        }
        XCTAssertEqual(TokenCounter.prefix(text, tokens: 1000), text)
    }

    func runtime(seed: UInt64 = 0) throws -> BedrockRuntime { BedrockRuntime(catalog: try ModelCatalog.bundled(), seed: seed) }

    func messagesBody(_ extra: JSONObject = JSONObject(), maxTokens: Int = 400, prompt: String = "Explain retries with exponential backoff") -> [UInt8] {
        var o = JSONObject()
        o["anthropic_version"] = "bedrock-2023-05-31"
        o["max_tokens"] = JSONValue(maxTokens)
        o["messages"] = [["role": "user", "content": .string(prompt)]]
        for (k, v) in extra { o[k] = v }
        return JSONValue.object(o).jsonBytes
    }

    func testSameRequestSameBytesAndKeyOrderDoesNotMatter() throws {
        let r = try runtime()
        let a = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(), region: "us-east-1")
        let b = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(), region: "us-east-1")
        XCTAssertEqual(a.body.jsonBytes, b.body.jsonBytes)
        let reordered = Array(#"{"messages":[{"content":"Explain retries with exponential backoff","role":"user"}],"max_tokens":400,"anthropic_version":"bedrock-2023-05-31"}"#.utf8)
        XCTAssertEqual(try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: reordered, region: "us-east-1").body.jsonBytes, a.body.jsonBytes)
        let otherSeed = try runtime(seed: 1).invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(), region: "us-east-1")
        XCTAssertNotEqual(otherSeed.body.jsonBytes, a.body.jsonBytes)
        let otherPrompt = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(prompt: "Describe a lighthouse"), region: "us-east-1")
        XCTAssertNotEqual(otherPrompt.completion.text, a.completion.text)
        XCTAssertTrue(otherPrompt.completion.text.contains("lighthouse"), otherPrompt.completion.text)
    }

    func testStreamConcatenatesToTheNonStreamedText() throws {
        let r = try runtime()
        for prompt in ["one", "Tell me about Step Functions retries and Bedrock quotas in detail", "Moon"] {
            let body = messagesBody(prompt: prompt)
            let whole = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: body, region: "us-east-1")
            let streamed = try r.stream(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: body, region: "us-east-1")
            let text = streamed.chunks.compactMap { $0["delta"]?["text"]?.stringValue }.joined()
            XCTAssertEqual(text, whole.completion.text)
            XCTAssertEqual(streamed.chunks.first?["type"], "message_start")
            XCTAssertEqual(streamed.chunks.last?["type"], "message_stop")
            XCTAssertEqual(streamed.chunks.last?["amazon-bedrock-invocationMetrics"]?["outputTokenCount"]?.intValue, whole.completion.outputTokens)
            XCTAssertEqual(whole.body["usage"]?["output_tokens"]?.intValue, TokenCounter.count(whole.completion.text))
        }
    }

    func testMaxTokensTruncatesAndStopSequencesCut() throws {
        let r = try runtime()
        let short = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(maxTokens: 5), region: "us-east-1")
        XCTAssertEqual(short.body["stop_reason"], "max_tokens")
        XCTAssertLessThanOrEqual(short.completion.outputTokens, 5)
        let full = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(), region: "us-east-1")
        let cut = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(["stop_sequences": ["."]]), region: "us-east-1")
        XCTAssertEqual(cut.body["stop_reason"], "stop_sequence")
        XCTAssertEqual(cut.body["stop_sequence"], ".")
        XCTAssertFalse(cut.completion.text.contains("."))
        XCTAssertTrue(full.completion.text.contains("."))
    }

    func testToolChoiceForcesAValidToolCall() throws {
        let r = try runtime()
        let tools: JSONValue = [[
            "name": "get_weather", "description": "Weather for a city",
            "input_schema": ["type": "object", "properties": ["city": ["type": "string"], "unit": ["type": "string", "enum": ["C", "F"]], "days": ["type": "integer", "minimum": 1, "maximum": 7]], "required": ["city", "unit", "days"]],
        ]]
        let call = try r.invoke(
            modelId: "anthropic.claude-3-haiku-20240307-v1:0",
            body: messagesBody(["tools": tools, "tool_choice": ["type": "tool", "name": "get_weather"]], prompt: "Weather in Paris?"), region: "us-east-1")
        XCTAssertEqual(call.body["stop_reason"], "tool_use")
        let block = call.body["content"]?[0]
        XCTAssertEqual(block?["type"], "tool_use")
        XCTAssertEqual(block?["name"], "get_weather")
        XCTAssertTrue(block?["id"]?.stringValue?.hasPrefix("toolu_bdrk_01") == true)
        let input = block?["input"]
        XCTAssertNotNil(input?["city"]?.stringValue)
        XCTAssertTrue(["C", "F"].contains(input?["unit"]?.stringValue ?? ""))
        XCTAssertTrue((1...7).contains(input?["days"]?.intValue ?? 0))
        // The next turn, answering the tool result, gets text.
        var next = JSONObject()
        next["tools"] = tools
        next["tool_choice"] = ["type": "any"]
        next["messages"] = [
            ["role": "user", "content": "Weather in Paris?"],
            ["role": "assistant", "content": .array([block!])],
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": block!["id"]!, "content": "18C and sunny"]]],
        ]
        let answer = try r.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: messagesBody(next), region: "us-east-1")
        XCTAssertEqual(answer.body["stop_reason"], "end_turn")
        XCTAssertEqual(answer.body["content"]?[0]?["type"], "text")
    }

    func testValidationMessages() throws {
        let r = try runtime()
        func message(_ body: String, model: String = "anthropic.claude-3-5-haiku-20241022-v1:0") -> String? {
            do {
                _ = try r.invoke(modelId: model, body: Array(body.utf8), region: "us-east-1")
                return nil
            } catch { return error.message }
        }
        XCTAssertEqual(
            message(#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":10000,"messages":[{"role":"user","content":"hi"}]}"#),
            "max_tokens: 10000 > 8192, which is the maximum allowed number of output tokens for claude-3-5-haiku-20241022")
        XCTAssertEqual(
            message(#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"temperature":1.5,"messages":[{"role":"user","content":"hi"}]}"#),
            "Malformed input request: #/temperature: 1.5 is not less or equal to 1, please reformat your input and try again.")
        XCTAssertEqual(
            message(#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"foo":1,"messages":[{"role":"user","content":"hi"}]}"#),
            "Malformed input request: #: extraneous key [foo] is not permitted, please reformat your input and try again.")
        XCTAssertEqual(
            message(#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"robot","content":"hi"}]}"#),
            "Malformed input request: #/messages/0/role: robot is not a valid enum value, please reformat your input and try again.")
        XCTAssertEqual(message(#"[1]"#), "Malformed input request: #: expected type: JSONObject, found: JSONArray, please reformat your input and try again.")
        XCTAssertEqual(
            message(#"{"prompt":"hi"}"#, model: "anthropic.claude-v2"),
            "Malformed input request: #: required key [max_tokens_to_sample] not found, please reformat your input and try again.")
        XCTAssertEqual(message("{}", model: "acme.none-v1"), "The provided model identifier is invalid.")
    }

    func testModelResolutionThroughProfiles() throws {
        let r = try runtime()
        XCTAssertEqual(try r.resolve(modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", region: "us-east-1").modelId, "anthropic.claude-sonnet-4-5-20250929-v1:0")
        XCTAssertEqual(
            try r.resolve(modelId: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0", region: "us-east-1").modelId,
            "anthropic.claude-haiku-4-5-20251001-v1:0")
        XCTAssertThrowsError(try r.resolve(modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0", region: "us-east-1"))
        XCTAssertThrowsError(try r.resolve(modelId: "eu.anthropic.claude-3-haiku-20240307-v1:0", region: "us-east-1"))
        XCTAssertEqual(AnthropicMessages.modelName("anthropic.claude-3-haiku-20240307-v1:0:48k"), "claude-3-haiku-20240307")
    }
}

final class CompletionRuleTests: XCTestCase {
    func testRuleParsingAndSequences() throws {
        let book = CompletionRuleBook()
        book.add(try CompletionRule(json: ["name": "seq", "match": ["model": "anthropic.*"], "responses": [["text": "A"], ["text": "B"]]]))
        let runtime = BedrockRuntime(catalog: try ModelCatalog.bundled(), seed: 0, rules: book)
        let body = Array(#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"#.utf8)
        let texts = try (0..<3).map { _ in try runtime.invoke(modelId: "anthropic.claude-3-haiku-20240307-v1:0", body: body, region: "us-east-1").completion.text }
        XCTAssertEqual(texts, ["A", "B", "B"])
        XCTAssertThrowsError(try CompletionRule(json: ["name": "x", "response": ["nothing": 1]]))
        XCTAssertThrowsError(try CompletionRule(json: ["name": "x", "match": ["prompt": ["regex": "("]], "response": ["text": "y"]]))
        XCTAssertThrowsError(try CompletionRule(json: ["name": "x", "matches": [:], "response": ["text": "y"]]))
    }
}
