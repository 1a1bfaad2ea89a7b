import Foundation

/// What credential and profile resolution reads of the machine: environment variables, files,
/// programs to run, and the time. Closures rather than direct calls so tests hand in fixtures
/// (a variable table, files in memory, a fake process, a fixed clock) and never read the
/// developer's own `~/.aws`.
public struct HostEnvironment: Sendable {
    /// The value of an environment variable, nil when unset.
    public var variable: @Sendable (String) -> String?
    /// A file's bytes, nil when it does not exist or cannot be read.
    public var readFile: @Sendable (String) -> [UInt8]?
    /// Runs a program (arguments already split, the program first) and returns what it wrote.
    public var runProcess: @Sendable ([String]) async throws(ProcessLaunchError) -> ProcessOutput
    /// Seconds since 1970.
    public var now: @Sendable () -> Int64

    public init(
        variable: @escaping @Sendable (String) -> String?,
        readFile: @escaping @Sendable (String) -> [UInt8]?,
        runProcess: @escaping @Sendable ([String]) async throws(ProcessLaunchError) -> ProcessOutput,
        now: @escaping @Sendable () -> Int64
    ) {
        self.variable = variable
        self.readFile = readFile
        self.runProcess = runProcess
        self.now = now
    }

    /// This process's environment, the real file system, real programs and the system clock.
    /// A credential process gets `processTimeoutSeconds` to answer before it is terminated, so a
    /// hung helper fails the forwarded call instead of holding it forever.
    public static func system(processTimeoutSeconds: Double = 60) -> HostEnvironment {
        let runner = CredentialProcessRunner(timeoutSeconds: processTimeoutSeconds)
        return HostEnvironment(
            variable: { ProcessInfo.processInfo.environment[$0] },
            readFile: { path in FileManager.default.contents(atPath: path).map { Array($0) } },
            runProcess: { arguments throws(ProcessLaunchError) in try await runner.run(arguments) },
            now: { Int64(Date().timeIntervalSince1970) })
    }

    /// A variable's value, nil when unset or empty: the SDKs treat both alike.
    func setting(_ name: String) -> String? {
        guard let value = variable(name), !value.isEmpty else { return nil }
        return value
    }

    /// `~` and `~/…` expanded with `HOME`, as the SDKs expand the file variables.
    func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = variable("HOME"), !home.isEmpty else { return path }
        return home + path.dropFirst()
    }
}
