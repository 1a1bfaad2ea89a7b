import AWSWire
import JSONCore
import StatesEngine

/// Lambda Tasks: the optimized `arn:aws:states:::lambda:invoke` (its result wraps the payload:
/// `ExecutedVersion`, `Payload`, `SdkHttpMetadata`, `SdkResponseMetadata`, `StatusCode`) and
/// the bare function ARN (its result is the payload itself), through the configured Lambda
/// endpoint. A function's own error fails the task with its `errorType` (`Lambda.Unknown`
/// when it has none) and the payload as the cause; an error of the Lambda API is
/// `Lambda.<Code>`. https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
extension TaskIntegrations {
    static let lambdaInvoke = "arn:aws:states:::lambda:invoke"

    static func isLambda(_ resource: String) -> Bool {
        resource == lambdaInvoke || (resource.hasPrefix("arn:aws:lambda:") && resource.contains(":function:"))
    }

    func lambda(_ resource: String, _ parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue {
        let optimized = resource == Self.lambdaInvoke
        let given = optimized ? parameters["FunctionName"]?.stringValue : resource
        // The endpoint first: a Task that cannot reach Lambda at all says so, whatever else.
        guard let endpoint = lambdaEndpoint else {
            throw StatesError(.taskFailed,
                "No Lambda endpoint is configured, so the state '\(context.stateName)' cannot call \(given ?? "its function"): set "
                    + "stepFunctions.lambdaEndpoint (or LAMBDA_ENDPOINT) to a Lambda Invoke API such as `sam local start-lambda`, or mock the state "
                    + "in a test case of the mock configuration.")
        }
        guard let functionName = given else {
            throw StatesError.runtime("The field 'FunctionName' is required for the lambda:invoke integration")
        }
        let payload: [UInt8]
        if optimized {
            payload = parameters["Payload"].map { $0.stringValue.map { Array($0.utf8) } ?? $0.jsonBytes } ?? Array("{}".utf8)
        } else {
            payload = parameters.jsonBytes
        }
        let answer: LambdaEndpoint.Answer
        do {
            answer = try await endpoint.invoke(
                functionName: functionName, qualifier: optimized ? parameters["Qualifier"]?.stringValue : nil, payload: payload,
                invocationType: optimized ? parameters["InvocationType"]?.stringValue : nil, logType: optimized ? parameters["LogType"]?.stringValue : nil,
                clientContext: optimized ? parameters["ClientContext"]?.stringValue : nil)
        } catch {
            throw StatesError("Lambda.SdkClientException", "Unable to execute HTTP request: \(error) (Lambda endpoint \(endpoint.url))")
        }
        let requestId = answer.header("x-amzn-RequestId") ?? ""
        if let functionError = answer.header("X-Amz-Function-Error") {
            let text = String(decoding: answer.payload, as: UTF8.self)
            let errorType = (try? JSONParser.parse(answer.payload))?["errorType"]?.stringValue
            throw StatesError(errorType ?? (functionError == "Unhandled" ? "Lambda.Unknown" : functionError), text)
        }
        guard (200..<300).contains(answer.status) else {
            let error = AWSErrorAnswer(header: { answer.header($0) }, body: answer.payload)
            // The Java SDK's words, as Step Functions writes a Lambda API error's cause.
            let code = error.code ?? "AWSLambdaException"
            throw StatesError(
                "Lambda.\(code)",
                "\(error.message ?? "") (Service: AWSLambda; Status Code: \(answer.status); Error Code: \(code); Request ID: \(requestId); Proxy: null)")
        }
        let result: JSONValue =
            answer.payload.isEmpty ? .string("") : (try? JSONParser.parse(answer.payload)) ?? .string(String(decoding: answer.payload, as: UTF8.self))
        guard optimized else { return result }
        var all = JSONObject(), single = JSONObject()
        for header in answer.headers {
            single[header.name] = .string(header.value)
            all[header.name] = .array((all[header.name]?.arrayValue ?? []) + [.string(header.value)])
        }
        var output = JSONObject()
        output["ExecutedVersion"] = .string(answer.header("X-Amz-Executed-Version") ?? "$LATEST")
        output["Payload"] = result
        output["SdkHttpMetadata"] = ["AllHttpHeaders": .object(all), "HttpHeaders": .object(single), "HttpStatusCode": JSONValue(answer.status)]
        output["SdkResponseMetadata"] = ["RequestId": .string(requestId)]
        output["StatusCode"] = JSONValue(answer.status)
        return .object(output)
    }
}
