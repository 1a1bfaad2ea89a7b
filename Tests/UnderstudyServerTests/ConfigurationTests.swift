import AWSWire
import XCTest

@testable import UnderstudyServer

final class ConfigurationTests: XCTestCase {
    func testYAMLLayersAndUnknownKeys() throws {
        var configuration = ServerConfiguration()
        try ConfigurationLoader.apply(
            yaml: """
                server:
                  host: 0.0.0.0
                  port: 5000
                auth:
                  mode: strict
                  credentials:
                    - accessKeyId: AKID
                      secretAccessKey: "s:e:c"
                seed: 9
                """, to: &configuration)
        XCTAssertEqual(configuration.host, "0.0.0.0")
        XCTAssertEqual(configuration.port, 5000)
        XCTAssertEqual(configuration.authMode, .strict)
        XCTAssertEqual(configuration.credentials.first?.secretAccessKey, "s:e:c")
        XCTAssertEqual(configuration.seed, 9)

        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "auth:\n  credentials:\n    - accessKeyId: a\n      secret: b\n", to: &configuration)) {
            XCTAssertTrue("\($0)".contains("unknown key 'auth.credentials[0].secret'"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "seeed: 1\n", to: &configuration)) {
            XCTAssertTrue("\($0)".contains("unknown key 'seeed'"), "\($0)")
        }
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "server:\n  port: 70000\n", to: &configuration))
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "auth:\n  mode: maybe\n", to: &configuration))
    }

    func testEnvironment() throws {
        var configuration = ServerConfiguration()
        try ConfigurationLoader.apply(environment: ["UNDERSTUDY_PORT": "0", "UNDERSTUDY_CREDENTIALS": "A:x,B:y:z", "PATH": "/bin"], to: &configuration)
        XCTAssertEqual(configuration.port, 0)
        XCTAssertEqual(configuration.credentials.map(\.secretAccessKey), ["x", "y:z"])
        XCTAssertThrowsError(try ConfigurationLoader.apply(environment: ["UNDERSTUDY_PORTT": "1"], to: &configuration))
    }
}
