import ArgumentParser
import Foundation

/// Reports a failure in our own words and hands ArgumentParser only the exit code.
///
/// ArgumentParser follows a `ValidationError` with the usage block, which misleads when the
/// arguments parsed fine and it was a value or the configuration file that was wrong: the usage
/// says nothing about the fix. An `ExitCode` it passes through silently, so the message is
/// written here first, with ArgumentParser's own `Error: ` prefix so every failure reads alike.
enum CommandFailure {
    /// A bad setting or input: exit 64 (EX_USAGE), the code ArgumentParser gives validation errors.
    static func invalid(_ message: String) -> ExitCode { report(message, .validationFailure) }

    /// Work that ran and did not succeed: exit 1, the code ArgumentParser gives any other error.
    static func failed(_ message: String) -> ExitCode { report(message, .failure) }

    private static func report(_ message: String, _ code: ExitCode) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        return code
    }
}
