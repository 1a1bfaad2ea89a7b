import Foundation
import JSONCore
import Locking
import Recording
import XCTest

/// Matching, sequences, near misses and appending while replaying.
final class ReplayBookTests: XCTestCase {
    func query(_ interaction: RecordedInteraction, account: String? = nil) -> ReplayQuery {
        ReplayQuery(
            service: interaction.service, operation: interaction.operation, resource: interaction.resource, request: interaction.request,
            callerAccount: account)
    }

    func hit(_ answer: ReplayAnswer, file: StaticString = #filePath, line: UInt = #line) -> ReplayHit? {
        guard case .recorded(let hit) = answer else {
            XCTFail("expected a recording, got \(answer)", file: file, line: line)
            return nil
        }
        return hit
    }

    func miss(_ answer: ReplayAnswer, file: StaticString = #filePath, line: UInt = #line) -> ReplayMiss? {
        guard case .miss(let miss) = answer else {
            XCTFail("expected a miss, got \(answer)", file: file, line: line)
            return nil
        }
        return miss
    }

    func testBodiesMatchAsValuesWithoutVolatileFields() throws {
        let recorded = RecordedInteraction(
            service: "bedrock", operation: "CreateModelInvocationJob",
            request: RecordedRequest(method: "POST", path: "/model-invocation-job", query: "", headers: [],
                body: Array("{\"jobName\":\"j\",\"clientRequestToken\":\"aaa\",\"modelId\":\"m\",\"n\":1.0}".utf8)),
            response: RecordedResponse(status: 200, body: .json(["jobArn": "arn:j"])))
        let book = ReplayBook(cassette: Cassette(directory: "", interactions: [recorded]))
        var asked = recorded
        asked.request.body = RecordedBody(capturing: Array("{\"n\":1,\"modelId\":\"m\",\"clientRequestToken\":\"bbb\",\"jobName\":\"j\"}".utf8))
        asked.request.headers = [RecordedHeader("X-Amz-Date", "20990101T000000Z")]
        XCTAssertEqual(hit(book.answer(query(asked)))?.position, 0)
        asked.request.body = RecordedBody(capturing: Array("{\"n\":1,\"modelId\":\"m\",\"jobName\":\"j\"}".utf8))
        XCTAssertNotNil(hit(book.answer(query(asked))), "a token absent from the request is as good as a different one")
        asked.request.body = RecordedBody(capturing: Array("{\"n\":2,\"modelId\":\"m\",\"jobName\":\"j\"}".utf8))
        XCTAssertEqual(miss(book.answer(query(asked)))?.field, "body.n")
    }

    func testGeneratedExecutionNamesAreVolatileAndChosenOnesAreNot() {
        func start(_ name: String) -> RecordedInteraction {
            RecordedInteraction(
                service: "states", operation: "StartExecution", resource: "arn:aws:states:us-east-1:123456789012:stateMachine:M",
                request: RecordedRequest(method: "POST", path: "/", query: "", headers: [],
                    body: (["stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "name": .string(name), "input": "{}"] as JSONValue).jsonBytes),
                response: RecordedResponse(status: 200, body: .json(["executionArn": .string("arn:…:\(name)")])))
        }
        let book = ReplayBook(cassette: Cassette(directory: "", interactions: [start("0b7c2f4e-1d5a-4c8e-9f00-123456789abc"), start("nightly-run")]))
        XCTAssertEqual(hit(book.answer(query(start("e3a1b2c4-0000-4000-8000-00000000abcd"))))?.position, 0)
        XCTAssertEqual(hit(book.answer(query(start("nightly-run"))))?.position, 1)
        XCTAssertEqual(miss(book.answer(query(start("weekly-run"))))?.field, "body.name")
    }

    func testConfiguredVolatileFieldsApplyToTheirOperationOnly() throws {
        let rules = MatchRules(volatileFields: [try VolatileField(parsing: "InvokeModel:$.metadata.traceId"), try VolatileField(parsing: "seed")])
        var recorded = CassetteSamples.invokeModel()
        recorded.request.body = .json(["prompt": "p", "metadata": ["traceId": "t1"], "options": ["seed": 1]])
        var converse = recorded
        converse.operation = "Converse"
        let book = ReplayBook(cassette: Cassette(directory: "", interactions: [recorded, converse]), rules: rules)
        var asked = recorded
        asked.request.body = .json(["prompt": "p", "metadata": ["traceId": "t2"], "options": ["seed": 7]])
        XCTAssertEqual(hit(book.answer(query(asked)))?.position, 0)
        asked.operation = "Converse"
        XCTAssertEqual(miss(book.answer(query(asked)))?.field, "body.metadata.traceId", "the traceId field was limited to InvokeModel")
        XCTAssertEqual(try VolatileField(parsing: "seed").path.source, "$..seed")
        XCTAssertEqual(try VolatileField(parsing: "StartExecution:$.name").operations, ["StartExecution"])
        XCTAssertThrowsError(try VolatileField(parsing: "StartExecution:"))
    }

    func testEqualRequestsReplayInOrderThenRepeatTheLast() {
        let arn = "arn:aws:states:us-east-1:123456789012:execution:M:e1"
        let statuses = ["RUNNING", "RUNNING", "SUCCEEDED"]
        let book = ReplayBook(cassette: Cassette(directory: "", interactions: statuses.map { CassetteSamples.describeExecution(arn: arn, status: $0) }))
        let poll = query(CassetteSamples.describeExecution(arn: arn, status: "ignored"))
        let answers = (0..<6).compactMap { _ in hit(book.answer(poll)) }
        XCTAssertEqual(answers.map { $0.interaction.response.body.jsonValue?["status"]?.stringValue }, [
            "RUNNING", "RUNNING", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED",
        ])
        XCTAssertEqual(answers.map(\.repeated), [false, false, false, true, true, true])
        XCTAssertEqual(book.unplayed(), [])
        book.rewind()
        XCTAssertEqual(hit(book.answer(poll))?.interaction.response.body.jsonValue?["status"], "RUNNING")
        XCTAssertEqual(book.unplayed(), [1, 2])
    }

    func testConcurrentPollsTakeEachRecordingOnce() {
        let arn = "arn:aws:states:us-east-1:123456789012:execution:M:e1"
        let recorded = (0..<50).map { CassetteSamples.describeExecution(arn: arn, status: "S\($0)") }
        let book = ReplayBook(cassette: Cassette(directory: "", interactions: recorded))
        let poll = query(recorded[0])
        let seen = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 60) { _ in
            if case .recorded(let hit) = book.answer(poll) { seen.withLock { $0.append(hit.position) } }
        }
        let positions = seen.withLock { $0 }.sorted()
        XCTAssertEqual(Array(positions.prefix(50)), Array(0..<50), "every recording answered exactly once before the last repeats")
        XCTAssertEqual(Array(positions.dropFirst(50)), Array(repeating: 49, count: 10))
    }

    func testNearMissNamesTheClosestAndTheFirstDifference() {
        let a = CassetteSamples.invokeModel(prompt: "Hello")
        var other = CassetteSamples.invokeModel(prompt: "Hello")
        other.resource = "amazon.titan-text-express-v1"
        let stateCall = CassetteSamples.describeExecution(arn: "arn:x", status: "RUNNING")
        let book = ReplayBook(cassette: Cassette(
            directory: "", index: CassetteIndex(entries: [
                .init(file: "0001-states-DescribeExecution.json", service: "states", operation: "DescribeExecution"),
                .init(file: "0002-bedrock-runtime-InvokeModel.json", service: "bedrock-runtime", operation: "InvokeModel"),
                .init(file: "0003-bedrock-runtime-InvokeModel.json", service: "bedrock-runtime", operation: "InvokeModel"),
            ]), interactions: [stateCall, other, a]))
        let asked = CassetteSamples.invokeModel(prompt: "Hi")
        guard let found = miss(book.answer(query(asked))) else { return }
        XCTAssertEqual(found.closest?.position, 2, "same resource beats a different model with the same prompt")
        XCTAssertEqual(found.closest?.file, "0003-bedrock-runtime-InvokeModel.json")
        XCTAssertEqual(found.field, "body.messages[0].content")
        XCTAssertEqual(found.recordedValue, "\"Hello\"")
        XCTAssertEqual(found.requestedValue, "\"Hi\"")
        XCTAssertEqual(found.message, """
            No recorded interaction matches bedrock-runtime InvokeModel anthropic.claude-3-haiku-20240307-v1:0. \
            Closest is #3 (0003-bedrock-runtime-InvokeModel.json), which differs first at body.messages[0].content: \
            recorded "Hello", requested "Hi".
            """)

        var wrongModel = CassetteSamples.invokeModel(prompt: "Hello")
        wrongModel.resource = "meta.llama3-8b-instruct-v1:0"
        XCTAssertEqual(miss(book.answer(query(wrongModel)))?.field, "resource")
        var converse = asked
        converse.operation = "Converse"
        XCTAssertEqual(miss(book.answer(query(converse)))?.field, "operation")
        var extra = a
        extra.request.body = .json(["anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [["role": "user", "content": "Hello"]], "top_k": 5])
        let extraMiss = miss(book.answer(query(extra)))
        XCTAssertEqual(extraMiss?.field, "body.top_k")
        XCTAssertNil(extraMiss?.recordedValue)
        XCTAssertEqual(miss(ReplayBook(cassette: Cassette(directory: "")).answer(query(asked)))?.message,
            "No recorded interaction matches bedrock-runtime InvokeModel anthropic.claude-3-haiku-20240307-v1:0: the cassette has none.")
    }

    func testQueriesMatchInAnyOrderAndMissByParameter() {
        func list(_ query: String) -> RecordedInteraction {
            RecordedInteraction(service: "s3", operation: "ListObjectsV2", resource: "b",
                request: RecordedRequest(method: "GET", path: "/b", query: query), response: RecordedResponse(status: 200))
        }
        let book = ReplayBook(cassette: Cassette(directory: "", interactions: [list("list-type=2&prefix=a")]))
        XCTAssertNotNil(hit(book.answer(query(list("prefix=a&list-type=2")))))
        let missed = miss(book.answer(query(list("list-type=2&prefix=b"))))
        XCTAssertEqual(missed?.field, "query.prefix")
        XCTAssertEqual(missed?.recordedValue, "\"a\"")
    }

    func testRequestsAreRedactedAndAccountsMappedBeforeMatching() throws {
        let mapping = try AccountMapping([(real: "111122223333", placeholder: nil)])
        var rules = RedactionRules(accounts: mapping)
        rules.addSecrets(["hunter2"])
        let redactor = Redactor(rules)
        let real = CassetteSamples.describeExecution(arn: "arn:aws:states:us-east-1:111122223333:execution:M:e", status: "SUCCEEDED")
        var withSecret = real
        withSecret.request.body = .json(["executionArn": "arn:aws:states:us-east-1:111122223333:execution:M:e", "note": "hunter2"])
        let stored = redactor.redact(withSecret).interaction
        XCTAssertEqual(stored.resource, "arn:aws:states:us-east-1:123456789012:execution:M:e")
        let book = ReplayBook(cassette: Cassette(directory: "", interactions: [stored]), redactor: redactor)
        // The replaying client signs as 000000000000: its ARNs name that account, both ways.
        var asked = withSecret
        asked.resource = "arn:aws:states:us-east-1:000000000000:execution:M:e"
        asked.request.body = .json(["executionArn": "arn:aws:states:us-east-1:000000000000:execution:M:e", "note": "hunter2"])
        let answer = hit(book.answer(query(asked, account: "000000000000")))
        XCTAssertEqual(answer?.interaction.response.body.jsonValue?["executionArn"], "arn:aws:states:us-east-1:000000000000:execution:M:e")
    }

    func testRecordedMissesAreWrittenAndAnsweredNext() throws {
        let directory = try CassetteSamples.directory(for: self)
        let writer = try CassetteWriter(directory: directory, redactor: Redactor())
        try writer.append(CassetteSamples.invokeModel(prompt: "first"))
        let book = ReplayBook(cassette: try Cassette.load(from: directory), writer: writer)
        let second = CassetteSamples.invokeModel(prompt: "second")
        XCTAssertNotNil(miss(book.answer(query(second))))
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do { try book.record(CassetteSamples.invokeModel(prompt: "more \(i)")) } catch { XCTFail("\(error)") }
        }
        try book.record(second)
        XCTAssertEqual(hit(book.answer(query(second)))?.file, "0010-bedrock-runtime-InvokeModel.json")
        XCTAssertEqual(try Cassette.load(from: directory).interactions.count, 10)
        XCTAssertEqual(book.count, 10)
    }
}
