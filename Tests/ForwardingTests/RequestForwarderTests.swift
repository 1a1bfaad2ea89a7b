import AWSWire
import Forwarding
import XCTest

/// The whole path the recorder takes: endpoint, credentials only when signing, re-signed.
final class RequestForwarderTests: XCTestCase {
    func testSignsWithTheChainsCredentialsAtTheForwardersTime() async throws {
        let host = FixtureHost(variables: [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "AWS_SESSION_TOKEN": "CANARY-SESSION-TOKEN/forwarding+test==",
        ])
        let forwarder = RequestForwarder(
            endpoints: UpstreamEndpoints(), credentials: CredentialChain(environment: host.environment), now: { 1_716_552_000 })
        let pair = BotocorePair.all.first { $0.name == "states_start_sync" }!
        let forwarded = try await forwarder.prepare(
            HTTPRequestParts(method: pair.method, target: pair.clientTarget, headers: pair.clientHeaders.map { (name: $0.0, value: $0.1) }),
            body: Array(pair.clientBody.utf8), service: .states, operation: "StartSyncExecution", region: "us-east-1")
        XCTAssertEqual(forwarded.url, "https://sync-states.us-east-1.amazonaws.com/")
        XCTAssertEqual(forwarded.header("Authorization"), pair.upstreamHeaders.first { $0.0 == "Authorization" }!.1)
    }

    func testBearerNeedsNoCredentialsAndMissingCredentialsAreAnError() async throws {
        let forwarder = RequestForwarder(
            endpoints: UpstreamEndpoints(), credentials: CredentialChain(environment: FixtureHost().environment), now: { 1_716_552_000 })
        let bearer = HTTPRequestParts(
            method: "POST", path: "/model/m/invoke", headers: [("Authorization", "Bearer key"), ("Content-Type", "application/json")])
        let forwarded = try await forwarder.prepare(bearer, body: Array("{}".utf8), service: .bedrockRuntime, operation: "InvokeModel", region: "us-east-1")
        XCTAssertEqual(forwarded.header("Authorization"), "Bearer key")

        let signed = HTTPRequestParts(method: "POST", path: "/model/m/invoke", headers: [("Content-Type", "application/json")])
        do {
            _ = try await forwarder.prepare(signed, body: Array("{}".utf8), service: .bedrockRuntime, operation: "InvokeModel", region: "us-east-1")
            XCTFail("forwarded without credentials")
        } catch {
            XCTAssertEqual(error, .credentials(.noCredentials(profile: "default")))
        }
    }
}
