import XCTest

@testable import UnderstudyServer

/// `--host`, `server.host` and `UNDERSTUDY_HOST` take an address only: a port inside it is
/// refused when the configuration is read, naming where the port goes, while IPv6 literals
/// (whose colons look like a port's) keep working.
final class HostSettingTests: XCTestCase {
    func testAddressesAreAccepted() throws {
        for address in ["127.0.0.1", "0.0.0.0", "localhost", "::1", "::", "fe80::1%eth0", "2001:db8::1"] {
            XCTAssertEqual(try ConfigurationLoader.host(address, "--host", nil, portSetting: "--port "), address)
        }
        XCTAssertEqual(try ConfigurationLoader.host("[::1]", "--host", nil, portSetting: "--port "), "::1")
    }

    func testAPortInsideTheHostIsRefused() {
        let cases: [(String, String)] = [
            ("127.0.0.1:4778", "--port 4778"), ("localhost:4566", "--port 4566"), ("[::1]:4566", "--port 4566"), ("localhost:", "--port N"),
        ]
        for (text, hint) in cases {
            XCTAssertThrowsError(try ConfigurationLoader.host(text, "--host", nil, portSetting: "--port ")) {
                let message = "\($0)"
                XCTAssertTrue(message.contains("--host takes an address without a port"), message)
                XCTAssertTrue(message.hasSuffix(hint), message)
            }
        }
        for text in ["", "http://localhost:4566", "[::1", "[::1]x"] {
            XCTAssertThrowsError(try ConfigurationLoader.host(text, "--host", nil, portSetting: "--port "), text)
        }
    }

    func testEveryLayerChecksTheHost() throws {
        var configuration = ServerConfiguration()
        XCTAssertThrowsError(try ConfigurationLoader.apply(yaml: "server:\n  host: \"127.0.0.1:4778\"\n", to: &configuration, source: "u.yml")) {
            XCTAssertEqual("\($0)", "u.yml: server.host takes an address without a port, not '127.0.0.1:4778'; give the port separately: server.port: 4778")
        }
        XCTAssertThrowsError(try ConfigurationLoader.apply(environment: ["UNDERSTUDY_HOST": "127.0.0.1:4778"], to: &configuration)) {
            XCTAssertTrue("\($0)".hasSuffix("UNDERSTUDY_PORT=4778"), "\($0)")
        }
        try ConfigurationLoader.apply(yaml: "server:\n  host: \"::1\"\n", to: &configuration)
        XCTAssertEqual(configuration.host, "::1")
        try ConfigurationLoader.apply(environment: ["UNDERSTUDY_HOST": "[::1]"], to: &configuration)
        XCTAssertEqual(configuration.host, "::1")
    }
}
