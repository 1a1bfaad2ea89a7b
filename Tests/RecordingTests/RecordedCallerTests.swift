import JSONCore
import Recording
import XCTest

/// `recordings diff` replays as the account the cassette's ARNs name, so the emulator finds
/// what earlier calls created.
final class RecordedCallerTests: XCTestCase {
    func testTheAccountAndRegionResponsesNameMostWin() {
        let interactions = [
            CassetteSamples.invokeModel(),
            CassetteSamples.describeExecution(arn: "arn:aws:states:eu-west-1:123456789012:execution:Joke:run-1", status: "RUNNING"),
            CassetteSamples.describeExecution(arn: "arn:aws:states:eu-west-1:123456789012:execution:Joke:run-2", status: "SUCCEEDED"),
            CassetteSamples.describeExecution(arn: "arn:aws:states:us-east-2:210987654321:execution:Other:run-1", status: "SUCCEEDED"),
        ]
        XCTAssertEqual(RecordedCaller.infer(from: interactions), RecordedCaller(account: "123456789012", region: "eu-west-1"))
    }

    func testRolesAndModelsNameNoCallerAndRequestsAreTheFallback() {
        var create = CassetteSamples.describeExecution(arn: "x", status: "ACTIVE")
        create.request.body = .json(["roleArn": "arn:aws:iam::999999999999:role/r", "definition": "{}"])
        create.response.body = .json(["modelArn": "arn:aws:bedrock:us-west-2::foundation-model/m"])
        XCTAssertNil(RecordedCaller.infer(from: [create, CassetteSamples.invokeModel()]))
        // An ARN inside a percent-encoded path still names its account.
        var job = CassetteSamples.invokeModel()
        job.request.path = "/model-invocation-job/arn%3Aaws%3Abedrock%3Aap-south-1%3A111122223333%3Amodel-invocation-job%2Fabc/stop"
        XCTAssertEqual(RecordedCaller.infer(from: [create, job]), RecordedCaller(account: "111122223333", region: "ap-south-1"))
    }
}
