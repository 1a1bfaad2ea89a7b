import ArgumentParser
import Foundation
import Recording

/// `recordings verify DIR`: every file parses and nothing in any file looks like a credential.
/// Exits 1 naming file and line for each problem, so it can guard a commit.
struct RecordingsVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every file parses and none holds credential-like text; exit 1 naming file and line otherwise.")

    @Argument(help: "The cassette directory.")
    var directory: String

    @Option(name: .customLong("secret"), help: "A string that must appear in no file (repeatable; e.g. a canary key).")
    var secrets: [String] = []

    func run() throws {
        let result = CassetteVerifier(scanner: SecretScanner(secrets: secrets)).verify(directory: directory)
        for warning in result.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        for problem in result.problems { print(problem) }
        guard result.passed else {
            throw CommandFailure.failed("\(result.problems.count) problem(s) in \(directory)")
        }
        print("\(directory): \(result.interactions) interaction(s), \(result.filesScanned) file(s) scanned, no problems")
    }
}
