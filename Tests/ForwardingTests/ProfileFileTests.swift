import Forwarding
import XCTest

final class ProfileFileTests: XCTestCase {
    func testConfigFileSectionsCommentsAndWhitespace() throws {
        let text = """
            # leading comment
            ; another
            [default]
            region = us-west-2
              # an indented comment line
            aws_access_key_id=AKIDDEFAULT
            [profile dev]   # a comment right after the header
            Region\t=\teu-west-1   ; trailing comment
            credential_process = /opt/bin/creds --user "a b" # comment
            secret_with_hash = abc#def;ghi
            [profile   spaced  ]
            region = ap-south-1
            [sso-session corp]
            sso_region = us-east-1
            [services local]
            s3 =
              endpoint_url = http://localhost:4566
            [notaprofile]
            region = nowhere

            [profile dev]
            output = json
            """
        let file = try ProfileFile(parsing: text, kind: .config)
        XCTAssertEqual(Set(file.profiles.keys), ["default", "dev", "spaced"])
        XCTAssertEqual(file.profiles["default"]?["region"], "us-west-2")
        XCTAssertEqual(file.profiles["default"]?["aws_access_key_id"], "AKIDDEFAULT")
        let dev = try XCTUnwrap(file.profiles["dev"])
        XCTAssertEqual(dev["region"], "eu-west-1", "names are lowercased, tabs trimmed, comments after whitespace removed")
        XCTAssertEqual(dev["credential_process"], "/opt/bin/creds --user \"a b\"")
        XCTAssertEqual(dev["secret_with_hash"], "abc#def;ghi", "a comment needs whitespace before it")
        XCTAssertEqual(dev["output"], "json", "a profile defined twice is merged")
        XCTAssertEqual(file.profiles["spaced"]?["region"], "ap-south-1")
    }

    func testSubSettingsAndContinuations() throws {
        let text = """
            [profile nested]
            s3 =
              max_concurrent_requests = 20
            \tAddressing_Style = path   # comment
            region = us-east-2
            note = first line
              second line
            \tthird line ; not this
            """
        let profile = try XCTUnwrap(try ProfileFile(parsing: text, kind: .config).profiles["nested"])
        XCTAssertEqual(profile.subSettings["s3"], ["max_concurrent_requests": "20", "addressing_style": "path"])
        XCTAssertNil(profile["s3"], "a setting that only holds sub-settings has no value")
        XCTAssertEqual(profile["region"], "us-east-2", "a setting after sub-settings is a setting again")
        XCTAssertEqual(profile["note"], "first line\nsecond line\nthird line")
    }

    func testCredentialsFileNamesSectionsAsWritten() throws {
        let text = "[default]\r\naws_access_key_id = AKID1\r\naws_secret_access_key = s1\r\n[profile ci]\r\naws_access_key_id = AKID2\r\n[ci]\r\naws_access_key_id = AKID3\r\n"
        let file = try ProfileFile(parsing: text, kind: .credentials)
        XCTAssertEqual(file.profiles["default"]?["aws_secret_access_key"], "s1", "CRLF line endings")
        XCTAssertEqual(file.profiles["profile ci"]?["aws_access_key_id"], "AKID2")
        XCTAssertEqual(file.profiles["ci"]?["aws_access_key_id"], "AKID3")
    }

    func testErrorsNameTheLineNotItsText() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let cases: [(String, Int)] = [
            ("aws_secret_access_key = \(secret)\n", 1),
            ("[default]\n\(secret)\n", 2),
            ("[default\nregion = x\n", 1),
            ("[default] \(secret)\n", 1),
            ("[]\n", 1),
            ("[default]\n= \(secret)\n", 2),
            ("  indented = \(secret)\n", 1),
            ("[default]\n  continues = nothing\n", 2),
            ("[default]\ns3 =\n  \(secret)\n", 3),
        ]
        for (text, line) in cases {
            XCTAssertThrowsError(try ProfileFile(parsing: text, kind: .config), text) { error in
                let failure = error as! ProfileFileError
                XCTAssertEqual(failure.line, line, text)
                XCTAssertFalse(failure.description.contains(secret), failure.description)
                XCTAssertFalse(String(reflecting: failure).contains(secret))
            }
        }
    }

    /// Whatever the bytes, the parser answers (a profile set or an error) and never traps.
    func testArbitraryTextNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("[]=#; \t\n\r\"'\\abcprofiledefault\u{0}é🙂")
        var parsed = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<120, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            for kind in [ProfileFile.Kind.config, .credentials] where (try? ProfileFile(parsing: text, kind: kind)) != nil {
                parsed += 1
            }
        }
        XCTAssertGreaterThan(parsed, 0, "some random texts are valid files (the empty one at least)")
    }

    func testProfileReadsEmptyValuesAsUnset() throws {
        let file = try ProfileFile(parsing: "[default]\naws_session_token =\nregion = x\n", kind: .credentials)
        XCTAssertNil(file.profiles["default"]?["aws_session_token"])
        XCTAssertEqual(file.profiles["default"]?["REGION"], "x", "lookups are case-insensitive")
    }
}
