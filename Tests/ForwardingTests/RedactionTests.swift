import AWSWire
import Forwarding
import XCTest

/// Every way a credentials value turns into text keeps the secret and the token out.
final class RedactionTests: XCTestCase {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "CANARY-SESSION-TOKEN-do-not-print"

    func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    func testCredentialsNeverPrintTheirSecrets() {
        let credentials = AWSCredentials(
            accessKeyId: "ASIAEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token, expiration: 1_716_555_600, accountId: "123456789012",
            source: .credentialProcess(profile: "dev"))
        for text in renderings(credentials) + renderings([credentials]) + renderings(Optional(credentials) as Any) + renderings(credentials.sigV4) {
            XCTAssertFalse(text.contains(Self.secret), text)
            XCTAssertFalse(text.contains(Self.token), text)
            XCTAssertTrue(text.contains("ASIAEXAMPLE"), "the key id is shown: \(text)")
            XCTAssertTrue(text.contains("<redacted>"), text)
        }
        XCTAssertEqual(
            "\(credentials)",
            "AWSCredentials(accessKeyId: ASIAEXAMPLE, secretAccessKey: <redacted>, sessionToken: <redacted>, expiration: 2024-05-24T13:00:00.000Z, accountId: 123456789012, source: credential_process of profile dev)"
        )
        let plain = AWSCredentials(accessKeyId: "AKID", secretAccessKey: Self.secret, source: .environment)
        XCTAssertEqual("\(plain)", "AWSCredentials(accessKeyId: AKID, secretAccessKey: <redacted>, source: environment variables)")
    }

    /// A signer holds credentials too, and may be printed while debugging a signature.
    func testSignerDescriptionHidesItsCredentials() {
        let signer = SigV4Signer(
            credentials: SigV4Credentials(accessKeyId: "AKID", secretAccessKey: Self.secret, sessionToken: Self.token), region: "us-east-1", service: "s3")
        for text in renderings(signer) {
            XCTAssertFalse(text.contains(Self.secret), text)
            XCTAssertFalse(text.contains(Self.token), text)
        }
    }

    func testErrorsNeverQuoteProcessOutput() async {
        let host = FixtureHost(files: ["/home/dev/.aws/config": "[default]\ncredential_process = /bin/creds\n"])
        let outputs = [
            #"{"Version": "\#(Self.secret)", "AccessKeyId": "A", "SecretAccessKey": "\#(Self.secret)"}"#,
            #"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "\#(Self.secret)", "Expiration": "\#(Self.token)"}"#,
            #"not json \#(Self.secret)"#,
        ]
        for output in outputs {
            host.script(json: output)
            do {
                _ = try await CredentialChain.resolve(environment: host.environment)
                XCTFail("resolved \(output)")
            } catch {
                for text in renderings(error) {
                    XCTAssertFalse(text.contains(Self.secret), text)
                    XCTAssertFalse(text.contains(Self.token), text)
                }
            }
        }
    }
}
