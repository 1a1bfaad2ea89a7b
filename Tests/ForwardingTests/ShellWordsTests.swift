import Forwarding
import XCTest

/// Expected words from Python 3's `shlex.split(command)`, what botocore runs
/// `credential_process` through (`compat_shell_split` on POSIX).
final class ShellWordsTests: XCTestCase {
    func testSplitsAsShlexDoes() throws {
        let cases: [(String, [String])] = [
            ("/opt/bin/awscreds-custom --username helen", ["/opt/bin/awscreds-custom", "--username", "helen"]),
            (#""C:\Path With Space\creds.cmd" --arg "a value""#, [#"C:\Path With Space\creds.cmd"#, "--arg", "a value"]),
            ("aws configure export-credentials --profile 'my prof' --format process", ["aws", "configure", "export-credentials", "--profile", "my prof", "--format", "process"]),
            (#"a "b\$c" d"#, ["a", #"b\$c"#, "d"]),
            (#""x\\y" "q\"r""#, [#"x\y"#, #"q"r"#]),
            (#"'a b'c\ d"#, ["a bc d"]),
            ("a#b # c", ["a#b", "#", "c"]),
            (#""" x"#, ["", "x"]),
            (#"a\nb"#, ["anb"]),
            ("  spaced\t\targs  ", ["spaced", "args"]),
            (#"'it'\''s'"#, ["it's"]),
            (#""a\tb""#, [#"a\tb"#]),
            ("", []),
        ]
        for (line, words) in cases {
            XCTAssertEqual(try ShellWords.split(line), words, line)
        }
    }

    func testUnclosedQuotesAndDanglingEscapesAreErrors() {
        XCTAssertThrowsError(try ShellWords.split(#""open"#)) { XCTAssertEqual($0 as? ShellWords.Failure, .unterminatedQuote) }
        XCTAssertThrowsError(try ShellWords.split("'open")) { XCTAssertEqual($0 as? ShellWords.Failure, .unterminatedQuote) }
        XCTAssertThrowsError(try ShellWords.split(#"trail\"#)) { XCTAssertEqual($0 as? ShellWords.Failure, .danglingEscape) }
    }
}
