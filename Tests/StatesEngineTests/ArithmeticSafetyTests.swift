import JSONCore
import Locking
import XCTest

@testable import StatesEngine

/// An instant clock that moves by each sleep, as time scale 0 does, up to the end of time;
/// it records what it was asked to sleep.
final class SkippingClock: ExecutionClock {
    let now = Locked<Int64>(1_700_000_000_000)
    let sleeps = Locked<[Int64]>([])

    func nowMillis() -> Int64 { now.withLock { $0 } }

    func sleep(milliseconds: Int64) async {
        sleeps.withLock { $0.append(milliseconds) }
        now.withLock { $0 = min(ExecutionTime.adding($0, milliseconds), ExecutionTime.latestMillis) }
    }

    var isInstant: Bool { true }
}

/// Numbers from definitions and inputs that used to trap the server (issue 19): each now
/// fails the execution as AWS does, or saturates into a very long wait.
final class ArithmeticSafetyTests: XCTestCase {
    struct Ran {
        var outcome: Interpreter.Outcome
        var events: [HistoryEvent]
        var sleeps: [Int64]

        var error: StatesError? {
            if case .failed(let error) = outcome { return error }
            return nil
        }
        var succeeded: Bool {
            if case .succeeded = outcome { return true }
            return false
        }
    }

    func run(_ definition: String, input: JSONValue = [:], tasks: any TaskInvoker = FlakyTasks(failures: 0), callbacks: (any TaskCallbacks)? = nil) async throws -> Ran {
        let machine = try StateMachineDefinition(text: definition)
        return await run(machine, input: input, tasks: tasks, callbacks: callbacks)
    }

    func run(_ machine: StateMachineDefinition, input: JSONValue = [:], tasks: any TaskInvoker = FlakyTasks(failures: 0), callbacks: (any TaskCallbacks)? = nil) async -> Ran {
        let clock = SkippingClock()
        let history = ExecutionHistory()
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:sm:e", name: "e", stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
            stateMachineName: "sm", roleArn: "arn:aws:iam::000000000000:role/r", startMillis: 1_700_000_000_000, region: "us-east-1", account: "000000000000")
        var interpreter = Interpreter(info: info, clock: clock, tasks: tasks, history: history, seed: 0)
        interpreter.callbacks = callbacks
        let (outcome, _) = await interpreter.run(machine, input: input)
        return Ran(outcome: outcome, events: history.all, sleeps: clock.sleeps.withLock { $0 })
    }

    static func wait(_ field: String, _ value: String, jsonata: Bool = false) -> String {
        #"{\#(jsonata ? #""QueryLanguage":"JSONata","# : "")"StartAt":"W","States":{"W":{"Type":"Wait","\#(field)":\#(value),"End":true}}}"#
    }

    func testWaitSecondsPathBeyondMillisecondsSaturates() async throws {
        // 9223372036854775 s is just inside Int64 milliseconds; the clock's sum overflowed.
        for (seconds, millis): (JSONValue, Int64) in [(9_223_372_036_854_775, 9_223_372_036_854_775_000), (9_223_372_036_854_775_807, .max)] {
            let ran = try await run(Self.wait("SecondsPath", #""$.s""#), input: ["s": seconds])
            XCTAssertTrue(ran.succeeded, "\(ran.outcome)")
            XCTAssertEqual(ran.sleeps, [millis])
            // The clock stops at the end of time: the exit shows a time a timestamp can name.
            XCTAssertEqual(ran.events.last?.timestampMillis, ExecutionTime.latestMillis)
        }
        let negative = try await run(Self.wait("SecondsPath", #""$.s""#), input: ["s": -9_223_372_036_854_775_807])
        XCTAssertEqual(negative.error?.cause?.hasSuffix("The SecondsPath parameter references a negative value: $.s == -9223372036854775807"), true)
    }

    func testWaitUntilTheYear9999() async throws {
        for definition in [Self.wait("Timestamp", #""9999-12-31T23:59:59Z""#), Self.wait("Timestamp", #""{% '9999-12-31T23:59:59Z' %}""#, jsonata: true)] {
            let ran = try await run(definition)
            XCTAssertTrue(ran.succeeded, "\(ran.outcome)")
            XCTAssertEqual(ran.sleeps, [253_402_300_799_000 - 1_700_000_000_000])
        }
    }

    func testJSONataSecondsSaturatesOrFailsTheState() async throws {
        let huge = try await run(Self.wait("Seconds", #""{% 9223372036854775 %}""#, jsonata: true))
        XCTAssertTrue(huge.succeeded, "\(huge.outcome)")
        // JSONata's number is the double 9223372036854776: its milliseconds pass Int64.max.
        XCTAssertEqual(huge.sleeps, [Int64.max])
        for (expression, message) in [
            ("-1", "must be an integer greater than or equal to 0, but was -1."),
            // JSONata numbers are doubles: these print as integers too large for one.
            ("-9223372036854775807", "must be an integer greater than or equal to 0, but was -9223372036854776000."),
            ("9223372036854775807 * 10", "must be an integer greater than or equal to 0, but was 92233720368547760000."),
            ("1e300", "Expected 'integer', but was 'number' for value: 1e+300"),
        ] {
            let ran = try await run(Self.wait("Seconds", #""{% \#(expression) %}""#, jsonata: true))
            XCTAssertEqual(ran.error?.error, "States.QueryEvaluationError", expression)
            XCTAssertEqual(ran.error?.cause?.contains(message), true, "\(expression): \(ran.error?.cause ?? "")")
            XCTAssertEqual(ran.sleeps, [])
        }
    }

    static let hugeRetry = #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":99999999,"BackoffRate":1000000,"MaxAttempts":10%@}],"End":true}}}"#

    func testRetryBackoffSaturatesAndMaxDelayCapsIt() async throws {
        let uncapped = try await run(Self.hugeRetry.replacingOccurrences(of: "%@", with: ""), tasks: FlakyTasks(failures: .max))
        XCTAssertEqual(uncapped.error?.error, "Bedrock.ThrottlingException")
        XCTAssertEqual(uncapped.sleeps, [99_999_999_000, 99_999_999_000_000_000] + Array(repeating: Int64.max, count: 8))
        XCTAssertEqual(uncapped.events.filter { $0.type == .taskFailed }.count, 11)

        let capped = try await run(Self.hugeRetry.replacingOccurrences(of: "%@", with: #","MaxDelaySeconds":3600"#), tasks: FlakyTasks(failures: .max))
        XCTAssertEqual(capped.sleeps, [3_600_000] + Array(repeating: 3_600_000, count: 9))

        // FULL jitter of an infinite delay is a random share of the longest wait, never a NaN.
        let jitter = try await run(Self.hugeRetry.replacingOccurrences(of: "%@", with: #","JitterStrategy":"FULL""#), tasks: FlakyTasks(failures: .max))
        XCTAssertEqual(jitter.sleeps.count, 10)
        XCTAssertTrue(jitter.sleeps.allSatisfy { $0 >= 0 })
    }

    func testRetryPolicyDelays() {
        let policy = RetryPolicy(["ErrorEquals": ["States.ALL"], "IntervalSeconds": 2, "BackoffRate": 1e308])
        XCTAssertEqual(policy.delayMillis(attempt: 0) { 0 }, 2000)
        XCTAssertEqual(policy.delayMillis(attempt: 5) { 0 }, .max)
        XCTAssertEqual(policy.delayMillis(attempt: 99_999_998) { 0 }, .max, "the power stops once it is infinite")
        let defaults = RetryPolicy(["ErrorEquals": ["X"]])
        XCTAssertEqual([defaults.intervalSeconds, defaults.maxAttempts], [1, 3])
        XCTAssertEqual(defaults.backoffRate, 2)
        XCTAssertEqual(defaults.delayMillis(attempt: 3) { 0 }, 8000)
        let jittered = RetryPolicy(["ErrorEquals": ["X"], "BackoffRate": 1e308, "JitterStrategy": "FULL"])
        XCTAssertEqual(jittered.delayMillis(attempt: 9) { 1000 }, 0, "an infinite delay times a zero share is no wait")
        XCTAssertEqual(jittered.delayMillis(attempt: 9) { 500 }, .max)
    }

    static func task(_ extra: String, resource: String = "r") -> String {
        #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"\#(resource)"\#(extra),"End":true}}}"#
    }

    func testHugeAndNegativeTaskTimeouts() async throws {
        for field in ["TimeoutSecondsPath", "HeartbeatSecondsPath"] {
            let huge = try await run(Self.task(#","\#(field)":"$.t""#), input: ["t": 9_223_372_036_854_775_807])
            XCTAssertTrue(huge.succeeded, "\(field): \(huge.outcome)")
            let scheduled = huge.events.first { $0.type == .taskScheduled }?.details?.value
            XCTAssertEqual(scheduled?[field == "TimeoutSecondsPath" ? "timeoutInSeconds" : "heartbeatInSeconds"], 9_223_372_036_854_775_807)
            for bad: JSONValue in [-5, 0, 1e300, "9"] {
                let ran = try await run(Self.task(#","\#(field)":"$.t""#), input: ["t": bad])
                XCTAssertEqual(ran.error?.error, "States.Runtime", "\(field) \(bad)")
                XCTAssertEqual(ran.error?.cause?.contains("does not reference a valid positive integer value: $.t == \(bad.jsonString)"), true)
            }
        }
        for field in ["TimeoutSeconds", "HeartbeatSeconds"] {
            let huge = try await run(Self.task(#","\#(field)":"{% 9223372036854775 %}""#).replacingOccurrences(of: #"{"StartAt""#, with: #"{"QueryLanguage":"JSONata","StartAt""#))
            XCTAssertTrue(huge.succeeded, "\(field): \(huge.outcome)")
            let negative = try await run(Self.task(#","\#(field)":"{% -1 %}""#).replacingOccurrences(of: #"{"StartAt""#, with: #"{"QueryLanguage":"JSONata","StartAt""#))
            XCTAssertEqual(negative.error?.error, "States.QueryEvaluationError")
        }
    }

    func testHugeTimeoutsOfACallbackTask() async throws {
        // The timer's deadlines saturate; on an instant clock the wait then ends at once.
        let definition = Self.task(#","TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.t""#, resource: "arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken")
        let ran = try await run(definition, input: ["t": 9_223_372_036_854_775_807], callbacks: AnsweringCallbacks(answer: nil))
        XCTAssertEqual(ran.error?.error, "States.Timeout")
        let activity = try await run(
            TaskCallbacksTests.activity("known", extra: #","TimeoutSecondsPath":"$.t""#), input: ["t": 9_223_372_036_854_775_807],
            callbacks: AnsweringCallbacks(answer: .succeeded(output: "{}")))
        XCTAssertTrue(activity.succeeded, "\(activity.outcome)")
    }

    func testMachineTimeoutBeyondMillisecondsSaturates() async throws {
        // The validator caps TimeoutSeconds; a definition read without it must not trap.
        let json = try JSONParser.parse(#"{"TimeoutSeconds":9223372036854775807,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}"#)
        let ran = await run(try StateMachineDefinition(json: json, path: ""))
        XCTAssertTrue(ran.succeeded, "\(ran.outcome)")
    }

    static func map(_ extra: String, items: String = #""ItemsPath":"$.xs""#) -> String {
        #"{"StartAt":"M","States":{"M":{"Type":"Map",\#(items)\#(extra),"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}"#
    }

    func testHugeMapSettings() async throws {
        let literal = try await run(Self.map(#","MaxConcurrency":99999999999,"ToleratedFailureCount":9000000000000000000"#), input: ["xs": [1, 2]])
        XCTAssertTrue(literal.succeeded, "\(literal.outcome)")
        let beyond = try await run(Self.map(#","MaxConcurrency":9223372036854775807"#), input: ["xs": [1, 2]])
        XCTAssertEqual(beyond.error?.cause?.hasSuffix(#"The MaxConcurrencyPath field refers to value "9223372036854775807" which is not a valid integer: "#), true)
        for (field, value, message) in [
            ("MaxConcurrencyPath", 9_223_372_036_854_775_807 as JSONValue, #"The MaxConcurrencyPath field refers to value "9223372036854775807" which is not a valid integer: $.n"#),
            ("MaxConcurrencyPath", 1e300, #"The MaxConcurrencyPath field refers to value "1e+300" which is not a valid integer: $.n"#),
            ("ToleratedFailureCountPath", 1e300, #"The ToleratedFailureCountPath field refers to value "1e+300" which is not a valid integer: $.n"#),
            ("ToleratedFailurePercentagePath", 1e300, "ToleratedFailurePercentage must be between 0 and 100."),
        ] {
            let ran = try await run(Self.map(#","\#(field)":"$.n""#), input: ["xs": [1, 2], "n": value])
            XCTAssertEqual(ran.error?.error, "States.Runtime", field)
            XCTAssertEqual(ran.error?.cause?.hasSuffix(message), true, ran.error?.cause ?? "")
        }
        let jsonata = try await run(#"{"QueryLanguage":"JSONata","# + Self.map(#","MaxConcurrency":"{% 9223372036854775807 %}""#, items: #""Items":[1,2]"#).dropFirst())
        XCTAssertEqual(jsonata.error?.error, "States.QueryEvaluationError")
        XCTAssertEqual(FailureTolerance.allowed(count: 1, percentage: 1e300, of: 10), Int.max)
        XCTAssertEqual(FailureTolerance.allowed(count: 1, percentage: .nan, of: 10), 1)
        XCTAssertEqual(FailureTolerance.allowed(count: 0, percentage: 50, of: 9), 4)
    }

    func testHugeItemBatcherSizes() async throws {
        let batcher = #","ItemBatcher":{"MaxItemsPerBatch":9223372036854775807,"MaxInputBytesPerBatch":9223372036854775807},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#
        let definition = #"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs"\#(batcher),"End":true}}}"#
        let ran = try await run(definition, input: ["xs": [1, 2, 3]])
        guard case .succeeded(let output) = ran.outcome else { return XCTFail("\(ran.outcome)") }
        XCTAssertEqual(output, [["Items": [1, 2, 3]]])
    }

    func testSliceWithAHugeStep() throws {
        let items: JSONValue = [1, 2, 3, 4]
        XCTAssertEqual(try JSONPath("$[1:4:9223372036854775807]").evaluate(input: items, context: .null), [2])
        XCTAssertEqual(try JSONPath("$[-9223372036854775807:9223372036854775807:2]").evaluate(input: items, context: .null), [1, 3])
    }

    func testExecutionTimeSaturates() {
        XCTAssertEqual(ExecutionTime.millis(seconds: Int.max), .max)
        XCTAssertEqual(ExecutionTime.millis(seconds: Int.min), .min)
        XCTAssertEqual(ExecutionTime.millis(seconds: 99_999_999), 99_999_999_000)
        XCTAssertEqual(ExecutionTime.millis(seconds: Double.infinity), .max)
        XCTAssertEqual(ExecutionTime.millis(seconds: -Double.infinity), .min)
        XCTAssertEqual(ExecutionTime.millis(seconds: Double.nan), 0)
        XCTAssertEqual(ExecutionTime.millis(seconds: 1.9999), 1999)
        XCTAssertEqual(ExecutionTime.adding(.max, 1), .max)
        XCTAssertEqual(ExecutionTime.adding(.min, -1), .min)
        XCTAssertEqual(ExecutionTime.subtracting(.min, 1), .min)
        XCTAssertEqual(ExecutionTime.subtracting(.max, -1), .max)
        XCTAssertEqual(StatesTimestamp.format(millis: ExecutionTime.latestMillis), "9999-12-31T23:59:59.999Z")
    }
}
