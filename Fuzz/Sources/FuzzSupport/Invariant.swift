/// A property a fuzz target checks beyond "does not trap". It stops the process with its
/// message, which libFuzzer reports as a crash and saves the input for: `precondition` drops
/// its message in an optimized build, and a finding without its message is slow to read.
public enum Invariant {
    public static func require(
        _ holds: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) {
        if !holds { fatalError(message(), file: file, line: line) }
    }

    public static func broken(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError(message, file: file, line: line)
    }
}
