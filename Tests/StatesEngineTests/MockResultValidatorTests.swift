import JSONCore
import XCTest

@testable import StatesEngine

/// Mocked results held against their API's output shape, as TestState's `fieldValidationMode`
/// does. The cases and the words are AWS's, as LocalStack recorded them against AWS
/// (tests/aws/services/stepfunctions/v2/test_state/test_field_validation_mode*.snapshot.json).
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
final class MockResultValidatorTests: XCTestCase {
    static let putEvents = "arn:aws:states:::events:putEvents"
    static let startExecution = "arn:aws:states:::states:startExecution"
    static let lambdaInvoke = "arn:aws:states:::lambda:invoke"
    static let getObject = "arn:aws:states:::aws-sdk:s3:getObject"

    private func problem(
        _ result: JSONValue, _ resource: String, _ mode: FieldValidationMode = .strict, _ dialect: MockResultValidator.Dialect = .testState
    ) -> String? {
        MockResultValidator.problem(in: result, resource: resource, mode: mode, dialect: dialect)
    }

    private func mismatch(_ text: String) -> String { MockResultValidator.prefix + text }

    func testTheEmbeddedShapesRead() {
        let shapes = IntegrationShapes.embedded
        XCTAssertFalse(shapes.botocore.isEmpty, "the file records botocore's version")
        for service in ["lambda", "sqs", "sns", "dynamodb", "eventbridge", "sfn", "s3", "bedrockruntime", "bedrock", "glue", "ecs", "batch"] {
            XCTAssertNotNil(shapes.services[service], service)
        }
        XCTAssertNotNil(shapes.services["sfn"]?.output(of: "startExecution"))
    }

    func testFieldsTheModelDoesNotHaveAreAcceptedEvenWhenStrict() {
        XCTAssertNil(problem(["random": "json"], Self.putEvents))
        XCTAssertNil(problem([:], Self.putEvents), "PutEvents has no required field")
        XCTAssertNil(problem(["Entries": [["EventId": "abc"]], "FailedEntryCount": 0], Self.putEvents))
    }

    func testAWrongTypeIsNamedByTheFieldAlone() {
        for mode in [FieldValidationMode.strict, .present] {
            XCTAssertEqual(problem(["Entries": "not a list"], Self.putEvents, mode), mismatch("Field 'Entries' must be an array"))
            XCTAssertEqual(problem(["Entries": [["EventId": ["a list"]]]], Self.putEvents, mode), mismatch("Field 'EventId' must be a string"))
            XCTAssertEqual(
                problem(["Entries": [["EventId": "fine"], ["EventId": ["second"]]]], Self.putEvents, mode), mismatch("Field 'EventId' must be a string"))
        }
    }

    func testStrictWantsRequiredFieldsAndPresentDoesNot() {
        XCTAssertEqual(problem([:], Self.startExecution), mismatch("Required field 'ExecutionArn' is missing"))
        XCTAssertNil(problem([:], Self.startExecution, .present))
        // Step Functions' casing: a lowerCamel name is a field the model does not have.
        let lower: JSONValue = ["executionArn": "arn", "startDate": "2025-01-01T00:00:00Z"]
        XCTAssertEqual(problem(lower, Self.startExecution), mismatch("Required field 'ExecutionArn' is missing"))
        XCTAssertNil(problem(lower, Self.startExecution, .present))
        XCTAssertEqual(problem(["ExecutionArn": "arn"], Self.startExecution), mismatch("Required field 'StartDate' is missing"))
        XCTAssertNil(problem(["ExecutionArn": "arn", "StartDate": "2025-01-01T00:00:00Z"], Self.startExecution))
        XCTAssertEqual(problem(["ExecutionArn": 1_764_103_483], Self.startExecution, .present), mismatch("Field 'ExecutionArn' must be a string"))
    }

    func testNoneChecksNothing() {
        XCTAssertNil(problem([:], Self.startExecution, .none))
        XCTAssertNil(problem(["Entries": "not a list"], Self.putEvents, .none))
        XCTAssertNil(problem("not even an object", Self.putEvents, .none))
    }

    func testScalarsTimestampsAndBlobs() {
        XCTAssertEqual(problem(["ExecutionArn": "arn", "StartDate": true], Self.startExecution), mismatch("Field 'StartDate' must be a string"))
        XCTAssertEqual(problem(["ExecutionArn": "arn", "StartDate": 1_764_103_483], Self.startExecution), mismatch("Field 'StartDate' must be a string"))
        XCTAssertEqual(problem(["StatusCode": "200"], Self.lambdaInvoke), mismatch("Field 'StatusCode' must be a number"))
        XCTAssertEqual(
            problem(["ConsumedCapacity": ["CapacityUnits": "123.45"]], "arn:aws:states:::dynamodb:putItem"), mismatch("Field 'CapacityUnits' must be a number"))
        XCTAssertEqual(problem(["ContentLength": "9000"], Self.getObject), mismatch("Field 'ContentLength' must be a number"))
        XCTAssertEqual(problem(["DeleteMarker": "yes"], Self.getObject), mismatch("Field 'DeleteMarker' must be a boolean"))
        XCTAssertEqual(problem(["Metadata": ["k": 1]], Self.getObject), mismatch("Field 'Metadata' must be a string"))
        XCTAssertEqual(problem(["Metadata": ["k"]], Self.getObject), mismatch("Field 'Metadata' must be an object"))
        XCTAssertNil(problem(["ContentLength": 9000, "Body": "text", "DeleteMarker": false, "Metadata": ["k": "v"]], Self.getObject))
    }

    func testEnumsLengthsAndRanges() {
        XCTAssertEqual(problem(["StorageClass": "Papyrus"], Self.getObject), mismatch("Field 'StorageClass' is not an expected value"))
        XCTAssertNil(problem(["StorageClass": "GLACIER"], Self.getObject))
        let getFunction = "arn:aws:states:::aws-sdk:lambda:getFunction"
        XCTAssertEqual(problem(["Configuration": ["MemorySize": 127]], getFunction), mismatch("Field 'MemorySize' is less than the minimum value"))
        XCTAssertEqual(problem(["Configuration": ["MemorySize": 1_000_000]], getFunction), mismatch("Field 'MemorySize' exceeds the maximum value"))
        XCTAssertNil(problem(["Configuration": ["MemorySize": 512]], getFunction))
        XCTAssertEqual(problem(["ExecutedVersion": ""], Self.lambdaInvoke), mismatch("Field 'ExecutedVersion' is smaller than the minimum length"))
        XCTAssertEqual(
            problem(["ExecutedVersion": .string(String(repeating: "1", count: 2000))], Self.lambdaInvoke),
            mismatch("Field 'ExecutedVersion' exceeds the maximum length"))
    }

    func testAResultThatIsNotAnObject() {
        XCTAssertEqual(problem("Hello World", Self.putEvents), mismatch("Mock result must be a JSON object"))
        XCTAssertEqual(problem([1, 2], Self.putEvents, .present), mismatch("Mock result must be a JSON object"))
    }

    /// AWS's TestState holds lambda:invoke's Payload to the API's blob (text); an execution's
    /// mock file gives it as the JSON a run gets, as Step Functions Local's own example does.
    func testLambdaPayloadAndBedrockBodyByDialect() {
        let payload: JSONValue = ["StatusCode": 200, "Payload": ["body": "Hello from Lambda!"]]
        XCTAssertEqual(problem(payload, Self.lambdaInvoke), mismatch("Field 'Payload' must be a string"))
        XCTAssertNil(problem(["StatusCode": 200, "Payload": "{\"body\":\"hi\"}"], Self.lambdaInvoke))
        XCTAssertNil(problem(payload, Self.lambdaInvoke, .strict, .execution))
        XCTAssertEqual(problem(payload, "arn:aws:states:::aws-sdk:lambda:invoke", .strict, .execution), mismatch("Field 'Payload' must be a string"))
        XCTAssertEqual(problem(["StatusCode": "200", "Payload": [:]], Self.lambdaInvoke, .present, .execution), mismatch("Field 'StatusCode' must be a number"))

        let invokeModel = "arn:aws:states:::bedrock:invokeModel"
        XCTAssertEqual(problem(["Body": ["answer": 42]], invokeModel), mismatch("Required field 'ContentType' is missing"))
        XCTAssertEqual(problem(["Body": ["answer": 42]], invokeModel, .present), mismatch("Field 'Body' must be a string"))
        XCTAssertNil(problem(["Body": ["answer": 42], "ContentType": "application/json"], invokeModel, .strict, .execution))
    }

    func testTimestampsAsAnExecutionSeesThem() {
        let started: JSONValue = ["ExecutionArn": "arn", "StartDate": 1_764_103_483_000]
        XCTAssertNil(problem(started, Self.startExecution, .strict, .execution))
        XCTAssertEqual(problem(["ExecutionArn": "arn", "StartDate": true], Self.startExecution, .strict, .execution), mismatch("Field 'StartDate' must be a string"))
    }

    func testSyncFormsAreHeldToDescribeExecution() {
        let described: JSONValue = [
            "ExecutionArn": "arn", "StateMachineArn": "arn", "Status": "SUCCEEDED", "StartDate": "2025-01-01T00:00:00Z", "Output": ["x": 1],
        ]
        XCTAssertEqual(problem(described, Self.startExecution + ".sync"), mismatch("Field 'Output' must be a string"))
        XCTAssertNil(problem(described, Self.startExecution + ".sync:2"))
        XCTAssertEqual(problem(["ExecutionArn": "arn"], Self.startExecution + ".sync:2"), mismatch("Required field 'StateMachineArn' is missing"))
        XCTAssertEqual(problem(["Status": "DONE"], Self.startExecution + ".sync", .present), mismatch("Field 'Status' is not an expected value"))
    }

    func testResourcesNoModelDescribesAreNotChecked() {
        for resource in [
            "arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:states:us-east-1:123456789012:activity:a", "arn:aws:states:::http:invoke", "arn:aws:states:::apigateway:invoke",
            "arn:aws:states:::ecs:runTask.sync", "arn:aws:states:::aws-sdk:notaservice:doThing", "arn:aws:states:::aws-sdk:s3:notAnOperation",
            "arn:aws:states:::glue:startJobRun.sync", "not an arn",
        ] {
            XCTAssertNil(problem("anything at all", resource), resource)
        }
    }

    func testResourcesMapToTheirOperation() {
        func operation(_ resource: String) -> String? {
            IntegrationOperation(resource: resource, dialect: .testState).map { "\($0.service):\($0.operation)" }
        }
        XCTAssertEqual(operation("arn:aws:states:::events:putEvents"), "eventbridge:putEvents")
        XCTAssertEqual(operation("arn:aws:states:::aws-sdk:eventbridge:putEvents"), "eventbridge:putEvents")
        XCTAssertEqual(operation("arn:aws:states:::states:startExecution.sync:2"), "sfn:describeExecution")
        XCTAssertEqual(operation("arn:aws:states:::aws-sdk:sfn:startExecution"), "sfn:startExecution")
        XCTAssertEqual(operation("arn:aws:states:::bedrock:invokeModel"), "bedrockruntime:invokeModel")
        XCTAssertEqual(operation("arn:aws:states:::aws-sdk:bedrockruntime:converse"), "bedrockruntime:converse")
        XCTAssertEqual(operation("arn:aws-us-gov:states:::sqs:sendMessage"), "sqs:sendMessage")
        XCTAssertEqual(operation("arn:aws:states:::dynamodb:updateItem"), "dynamodb:updateItem")
        XCTAssertNil(operation("arn:aws:states:::sns:publish.waitForTaskToken"))
        let shapes = IntegrationShapes.embedded
        for (service, action) in [
            ("sqs", "sendMessage"), ("sns", "publish"), ("dynamodb", "getItem"), ("dynamodb", "deleteItem"), ("glue", "startJobRun"), ("ecs", "runTask"),
            ("batch", "submitJob"), ("bedrock", "createModelInvocationJob"), ("s3", "listObjectsV2"), ("athena", "startQueryExecution"),
        ] {
            XCTAssertNotNil(shapes.services[service]?.output(of: action), "\(service):\(action)")
        }
    }

    /// A recursive shape (DynamoDB's AttributeValue) nested far past the bound is not walked
    /// to the bottom, and does not exhaust the stack.
    func testDepthIsBounded() {
        var item: JSONValue = ["S": 1]
        for _ in 0..<1_000 { item = ["M": ["k": item]] }
        XCTAssertNil(problem(["Item": ["k": item]], "arn:aws:states:::dynamodb:getItem"))
        var shallow: JSONValue = ["S": 1]
        for _ in 0..<3 { shallow = ["M": ["k": shallow]] }
        XCTAssertEqual(problem(["Item": ["k": shallow]], "arn:aws:states:::dynamodb:getItem"), mismatch("Field 'S' must be a string"))
    }
}
