import JSONCore
import XCTest

@testable import StatesEngine

/// The typed tree the reader builds: what each state decides on, parsed once.
final class TypedDefinitionTests: XCTestCase {
    func state(_ json: String, jsonata: Bool = false) throws -> StateDefinition {
        try StateDefinition(name: "S", json: try JSONParser.parse(json), path: "/States/S", machineIsJSONata: jsonata)
    }

    func testTaskFieldsAndRetryAndCatchLists() throws {
        let s = try state(#"""
            {"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken","TimeoutSecondsPath":"$.t","HeartbeatSeconds":5,
             "Retry":[{"ErrorEquals":["A"],"IntervalSeconds":3,"MaxAttempts":0,"BackoffRate":1.5,"MaxDelaySeconds":9,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],
             "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F","ResultPath":null}],"ResultPath":"$.r","End":true}
            """#)
        guard case .task(let task) = s.kind else { return XCTFail("\(s.kind)") }
        XCTAssertEqual(task.resource.pattern, .waitForTaskToken)
        XCTAssertEqual(task.resource.invoked, "arn:aws:states:::aws-sdk:s3:putObject")
        XCTAssertEqual([task.resource.historyType, task.resource.historyName], ["aws-sdk", "s3:putObject.waitForTaskToken"])
        guard case .path(let timeout)? = task.timeout, case .seconds(5)? = task.heartbeat else { return XCTFail("\(String(describing: task.timeout))") }
        XCTAssertEqual(timeout.text, "$.t")
        XCTAssertTrue(s.waitsOnOutside)
        XCTAssertTrue(s.isEnd)
        let first = task.retry[0]
        XCTAssertEqual([first.intervalSeconds, first.maxAttempts], [3, 0])
        XCTAssertEqual(first.backoffRate, 1.5)
        XCTAssertEqual(first.maxDelaySeconds, 9)
        XCTAssertEqual(first.jitter, .full)
        XCTAssertEqual(s.retry.count, 2)
        XCTAssertEqual(s.catchers.first?.next, "F")
        guard case .discard? = s.catchers.first?.resultPath else { return XCTFail("null ResultPath discards the error output") }
    }

    func testTaskResources() {
        let activity = TaskResource("arn:aws:states:us-east-1:000000000000:activity:work")
        XCTAssertEqual(activity.pattern, .activity)
        XCTAssertEqual(TaskResource("arn:aws:states:us-east-1:000000000000:activity:").pattern, .call)
        let lambda = TaskResource("arn:aws:lambda:us-east-1:000000000000:function:f")
        XCTAssertEqual([lambda.historyType, lambda.historyName], ["lambda", "invoke"])
        let other = TaskResource("r")
        XCTAssertEqual([other.historyType, other.historyName], ["unknown", "r"])
        XCTAssertFalse(other.waitsOnOutside)
    }

    func testErrorEqualsMatching() {
        let all = ErrorEquals(["States.ALL"])
        XCTAssertTrue(all.matches(StatesError("Custom", nil)))
        XCTAssertFalse(all.matches(StatesError(.runtime, nil)), "States.Runtime is terminal")
        XCTAssertFalse(all.matches(StatesError(.dataLimitExceeded, nil)))
        XCTAssertTrue(ErrorEquals(["States.Runtime"]).matches(StatesError(.runtime, nil)), "named exactly, it matches")
        XCTAssertTrue(ErrorEquals(["States.Timeout"]).matches(StatesError(.heartbeatTimeout, nil)))
        let taskFailed = ErrorEquals(["States.TaskFailed"])
        XCTAssertTrue(taskFailed.matches(StatesError("Bedrock.ThrottlingException", nil)))
        XCTAssertFalse(taskFailed.matches(StatesError(.timeout, nil)))
        XCTAssertFalse(taskFailed.matches(StatesError(.heartbeatTimeout, nil)))
        let rules = [CatchRule(["ErrorEquals": ["A"], "Next": "X"]), CatchRule(["ErrorEquals": ["States.ALL"], "Next": "Y"])]
        XCTAssertEqual(rules.firstMatch(StatesError("B", nil))?.index, 1)
        XCTAssertEqual(rules.firstMatch(StatesError("A", nil))?.rule.next, "X")
    }

    func testChoiceRulesReadAsAWSReadsThem() throws {
        let s = try state(#"""
            {"Type":"Choice","Default":"D","Choices":[
              {"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.a","NumericEqualsPath":"$.b"}}],"Next":"One"},
              {"Variable":"$.s","Comment":"skipped","StringEqualsPath":5,"StringMatches":"x*","NumericEquals":1,"Next":"Two"},
              {"Variable":"$.s","Next":"Three"},
              {"Next":"Four"},
              7
            ]}
            """#)
        guard case .choice(let choice) = s.kind else { return XCTFail("\(s.kind)") }
        XCTAssertEqual(choice.defaultNext, "D")
        XCTAssertEqual(choice.rules.map(\.next), ["One", "Two", "Three", "Four", nil])
        guard case .and(let parts) = choice.rules[0].condition, parts.count == 2, case .not(.comparison(let negated)) = parts[1],
            case (.numericEquals, .path(let operand))? = negated.test
        else { return XCTFail("\(choice.rules[0].condition)") }
        XCTAssertEqual(operand.text, "$.b")
        // A `…Path` operand that is not a string is skipped; the first operator then decides.
        guard case .comparison(let first) = choice.rules[1].condition, case (.stringMatches, .value("x*"))? = first.test else {
            return XCTFail("\(choice.rules[1].condition)")
        }
        guard case .comparison(let none) = choice.rules[2].condition, none.test == nil else { return XCTFail("\(choice.rules[2].condition)") }
        guard case .missingVariable = choice.rules[3].condition, case .never = choice.rules[4].condition else { return XCTFail("\(choice.rules)") }

        let evaluator = ChoiceEvaluator(input: ["a": 1, "b": 2, "s": "xyz"], context: .null)
        XCTAssertTrue(try evaluator.matches(choice.rules[0].condition))
        XCTAssertTrue(try evaluator.matches(choice.rules[1].condition))
        XCTAssertThrowsError(try evaluator.matches(choice.rules[2].condition)) { error in
            XCTAssertEqual((error as? StatesError)?.cause, "A choice rule has no comparison operator")
        }
        XCTAssertThrowsError(try evaluator.matches(choice.rules[3].condition))
        XCTAssertFalse(try evaluator.matches(choice.rules[4].condition))
    }

    func testJSONataChoiceKeepsItsConditionTemplates() throws {
        let s = try state(#"{"Type":"Choice","Choices":[{"Condition":"{% $states.input.x > 1 %}","Next":"A","Output":{"o":1}},{"Next":"B"}]}"#, jsonata: true)
        guard case .choice(let choice) = s.kind, case .jsonata("{% $states.input.x > 1 %}") = choice.rules[0].condition, case .never = choice.rules[1].condition else {
            return XCTFail("\(s.kind)")
        }
        XCTAssertEqual(choice.rules[0].output, ["o": 1])
        XCTAssertNotNil(s.expressions["$states.input.x > 1"])
    }

    func testComparisonOperators() {
        XCTAssertEqual(ComparisonOperator.allCases.count, 23)
        XCTAssertTrue(ComparisonOperator.named("TimestampLessThanEqualsPath")! == (.timestampLessThanEquals, true))
        XCTAssertNil(ComparisonOperator.named("Variable"))
        XCTAssertNil(ComparisonOperator.named("NumericEqualsPathPath"))
        XCTAssertTrue(ComparisonOperator.numericGreaterThanEquals.compare(2, 2))
        XCTAssertFalse(ComparisonOperator.numericGreaterThan.compare(2, 2))
        XCTAssertFalse(ComparisonOperator.stringLessThan.compare(2, "3"), "values of the wrong type never match")
        XCTAssertTrue(ComparisonOperator.timestampLessThan.compare("2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z"))
        XCTAssertTrue(ComparisonOperator.isNull.compare(.null, true))
        XCTAssertTrue(ComparisonOperator.isString.compare(1, false))
        XCTAssertTrue(ComparisonOperator.stringMatches.compare("a*c", #"a\*c"#))
    }

    func testWaitAndFailAndPassAndMapFields() throws {
        guard case .wait(let wait) = try state(#"{"Type":"Wait","Timestamp":"not a time","End":true}"#).kind, case .timestamp("not a time", nil) = wait.duration else {
            return XCTFail("an unreadable Timestamp is kept for the runtime error")
        }
        guard case .wait(let jsonata) = try state(#"{"Type":"Wait","Seconds":"{% 1 %}","End":true}"#, jsonata: true).kind, case .secondsTemplate = jsonata.duration else {
            return XCTFail("JSONata Seconds is a template")
        }
        guard case .fail(let fail) = try state(#"{"Type":"Fail","ErrorPath":"$.e","Cause":"c"}"#).kind, case .path("$.e")? = fail.error, case .text("c")? = fail.cause else {
            return XCTFail("Fail fields")
        }
        guard case .pass(let pass) = try state(#"{"Type":"Pass","Result":1,"ResultPath":"$.r","End":true}"#).kind, pass.result == 1, case .path(let place) = pass.resultPath else {
            return XCTFail("Pass fields")
        }
        XCTAssertEqual(place.text, "$.r")
        let map = try state(#"""
            {"Type":"Map","Parameters":{"p.$":"$$.Map.Item.Value"},"MaxConcurrencyPath":"$.n","ToleratedFailurePercentage":5,"Label":"L",
             "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"MaxItemsPath":"$.m"}},"ItemBatcher":{"MaxItemsPerBatch":2},
             "ResultWriter":{"WriterConfig":{"Transformation":"FLATTEN"}},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}
            """#)
        guard case .map(let m) = map.kind else { return XCTFail("\(map.kind)") }
        XCTAssertTrue(m.distributed, "an ItemReader makes a map distributed")
        XCTAssertEqual(m.itemSelector, ["p.$": "$$.Map.Item.Value"], "JSONPath falls back to Parameters")
        XCTAssertEqual(m.maxConcurrency?.pathText, "$.n")
        XCTAssertEqual(m.itemReader?.maxItems?.pathText, "$.m")
        XCTAssertEqual(m.resultWriter?.config.transformation, .flatten)
        XCTAssertEqual(m.resultWriter?.config.exports, false)
        XCTAssertEqual(m.label, "L")
        XCTAssertEqual(map.children.count, 1)
        XCTAssertThrowsError(try state(#"{"Type":"Map","ResultWriter":{"WriterConfig":{"OutputType":"XML"}},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}"#)) { error in
            XCTAssertEqual((error as? StateMachineDefinition.Problem)?.location, "/States/S/ResultWriter/WriterConfig/OutputType")
        }
    }

    func testHistoryEventSpellingsAndDetailsKeys() {
        XCTAssertEqual(HistoryEventType.entered(.map), .mapStateEntered)
        XCTAssertNil(HistoryEventType.exited(.fail))
        XCTAssertEqual(HistoryEventType.exited(.choice), .choiceStateExited)
        for type in StateType.allCases {
            XCTAssertEqual(HistoryEventType.entered(type).rawValue, type.rawValue + "StateEntered")
            XCTAssertEqual(HistoryEventType.entered(type).detailsKey, "stateEnteredEventDetails")
        }
        let keys: [HistoryEventType: String] = [
            .executionAborted: "executionAbortedEventDetails", .taskStateExited: "stateExitedEventDetails", .taskScheduled: "taskScheduledEventDetails",
            .activityScheduleFailed: "activityScheduleFailedEventDetails", .mapIterationAborted: "mapIterationAbortedEventDetails",
            .mapRunFailed: "mapRunFailedEventDetails", .evaluationFailed: "evaluationFailedEventDetails", .executionRedriven: "executionRedrivenEventDetails",
        ]
        for (type, key) in keys { XCTAssertEqual(type.detailsKey, key) }
        XCTAssertTrue(HistoryEventType.executionTimedOut.endsExecution)
        XCTAssertFalse(HistoryEventType.executionRedriven.endsExecution)
    }
}
