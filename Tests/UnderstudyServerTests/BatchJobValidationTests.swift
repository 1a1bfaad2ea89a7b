import AWSWire
import JSONCore
import UnderstudyTesting
import XCTest

/// CreateModelInvocationJob's optional members against the botocore model's shapes. A job
/// stored with a `vpcConfig` that is no structure, or tags that are no list of pairs, was
/// answered again by every Get and List, and botocore failed on each (found by the HTTP probe).
final class BatchJobValidationTests: XCTestCase {
    private func create(_ extra: [(String, JSONValue)]) async throws -> AWSResponse {
        var body: JSONObject = [
            "jobName": "job1", "roleArn": "arn:aws:iam::123456789012:role/batch", "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
            "inputDataConfig": ["s3InputDataConfig": ["s3Uri": "s3://in-bucket/batch/"]],
            "outputDataConfig": ["s3OutputDataConfig": ["s3Uri": "s3://out-bucket/out/"]],
        ]
        for (name, value) in extra { body[name] = value }
        return try await InMemoryServer.with { server in
            try await server.send(.json(.bedrock, "POST", "/model-invocation-job", .object(body)))
        }
    }

    private func assertRefused(
        _ extra: [(String, JSONValue)], _ message: String, file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let answer = try await create(extra)
        XCTAssertEqual(answer.status, 400, answer.text, file: file, line: line)
        XCTAssertEqual(answer.headers.first { $0.name == "x-amzn-ErrorType" }?.value.hasPrefix("ValidationException"), true, file: file, line: line)
        XCTAssertEqual(try answer.json()["message"]?.stringValue, "1 validation error detected: " + message, file: file, line: line)
    }

    func testOffShapeMembersAreRefusedAsAWSWordsThem() async throws {
        try await assertRefused([("vpcConfig", "x")], "Value 'x' at 'vpcConfig' failed to satisfy constraint: Member must be a structure")
        try await assertRefused([("vpcConfig", [1])], "Value '[1]' at 'vpcConfig' failed to satisfy constraint: Member must be a structure")
        try await assertRefused(
            [("vpcConfig", ["subnetIds": ["subnet-1"]])],
            "Value 'null' at 'vpcConfig.securityGroupIds' failed to satisfy constraint: Member must not be null")
        try await assertRefused(
            [("vpcConfig", ["subnetIds": [], "securityGroupIds": ["sg-1"]])],
            "Value '[]' at 'vpcConfig.subnetIds' failed to satisfy constraint: Member must have length greater than or equal to 1")
        try await assertRefused(
            [("vpcConfig", ["subnetIds": ["subnet 1"], "securityGroupIds": ["sg-1"]])],
            "Value 'subnet 1' at 'vpcConfig.subnetIds.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [-0-9a-zA-Z]+")
        try await assertRefused([("tags", "x")], "Value 'x' at 'tags' failed to satisfy constraint: Member must be a list")
        try await assertRefused(
            [("tags", [["key": "a", "value": "b"], ["key": "", "value": "b"]])],
            "Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1")
        try await assertRefused(
            [("tags", [["key": "a"]])], "Value 'null' at 'tags.1.member.value' failed to satisfy constraint: Member must not be null")
        try await assertRefused(
            [("tags", [["key": "a", "value": "<b>"]])],
            "Value '<b>' at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9\\s._:/=+@-]*"
        )
        try await assertRefused([("modelInvocationType", 3)], "Value '3' at 'modelInvocationType' failed to satisfy constraint: Member must be a string")
        try await assertRefused([("clientRequestToken", true)], "Value 'true' at 'clientRequestToken' failed to satisfy constraint: Member must be a string")
        try await assertRefused(
            [("clientRequestToken", "-x")],
            "Value '-x' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}")
    }

    func testWellShapedMembersAndNullsAreAccepted() async throws {
        let answer = try await create([
            ("vpcConfig", ["subnetIds": ["subnet-1"], "securityGroupIds": ["sg-1", "sg-2"]]),
            ("tags", [["key": "team name", "value": ""]]), ("clientRequestToken", .null), ("modelInvocationType", "Converse"),
        ])
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertNotNil(try answer.json()["jobArn"]?.stringValue)
    }
}
