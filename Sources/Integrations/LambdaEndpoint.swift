import AWSWire
import JSONCore
import Upstream

/// A Lambda Invoke API endpoint Task states call their functions through, as Step Functions
/// Local's `LAMBDA_ENDPOINT` (`sam local start-lambda` serves one): `POST
/// /2015-03-31/functions/{FunctionName}/invocations` with the payload as the body.
/// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
public struct LambdaEndpoint: Sendable {
    let client: UpstreamHTTPClient
    /// The base URL, for messages.
    public let url: String

    public init?(url: String, timeoutSeconds: Int64 = 900) {
        guard let endpoint = UpstreamEndpoint(url: url) else { return nil }
        self.url = url
        client = UpstreamHTTPClient(endpoint: endpoint, timeoutSeconds: timeoutSeconds, pool: UpstreamConnectionPool())
    }

    /// What the endpoint answered: its status, headers and the function's payload.
    struct Answer: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var payload: [UInt8]

        func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.name.lowercased() == lower }?.value
        }
    }

    /// One Invoke. `functionName` is as the state gives it (a name, an ARN, either with a
    /// `:qualifier`); an endpoint that cannot be reached throws its reason.
    func invoke(
        functionName: String, qualifier: String?, payload: [UInt8], invocationType: String?, logType: String?, clientContext: String?
    ) async throws(UpstreamFailure) -> Answer {
        var target = "/2015-03-31/functions/\(URIEncoding.encode(functionName))/invocations"
        if let qualifier { target += "?Qualifier=\(URIEncoding.encode(qualifier))" }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let invocationType { headers.append(("X-Amz-Invocation-Type", invocationType)) }
        if let logType { headers.append(("X-Amz-Log-Type", logType)) }
        if let clientContext { headers.append(("X-Amz-Client-Context", clientContext)) }
        let answer = try await client.send(method: "POST", target: target, headers: headers, body: payload)
        return Answer(status: answer.status, headers: answer.headers, payload: answer.body)
    }
}
