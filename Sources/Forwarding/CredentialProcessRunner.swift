import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a `credential_process` command as botocore does: the words already split (no shell),
/// the program looked up on `PATH` when it has no `/`, stdout and stderr captured. Standard
/// input is closed rather than inherited: the server has no terminal to prompt on, and a helper
/// that waits for input should fail rather than hang.
///
/// Blocking reads and the wait happen on threads of their own, never on the Swift concurrency
/// pool (two threads on a two-core machine), so a slow helper does not stall the server.
struct CredentialProcessRunner: Sendable {
    var timeoutSeconds: Double
    /// Credential JSON is a few hundred bytes; a process that writes megabytes is not one.
    var outputLimit = 1 << 20

    func run(_ arguments: [String]) async throws(ProcessLaunchError) -> ProcessOutput {
        guard let program = arguments.first, !program.isEmpty else { throw .emptyCommand }
        let executable = try Self.locate(program)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        if let failure = await Self.onThread({ Self.spawn(process) }) { throw .couldNotStart("\(program): \(failure)") }
        async let out = Self.onThread { Self.drain(stdout.fileHandleForReading, limit: outputLimit) }
        async let err = Self.onThread { Self.drain(stderr.fileHandleForReading, limit: outputLimit) }
        async let timedOut = Self.onThread { [timeoutSeconds] in Self.wait(for: process, seconds: timeoutSeconds) }
        let (outBytes, outCut) = await out
        let (errBytes, errCut) = await err
        let stopped = await timedOut
        return ProcessOutput(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, stdout: outBytes, stderr: errBytes,
            timedOut: stopped, truncated: outCut || errCut)
    }

    /// The path of the program: as given when it names a directory, else the first executable
    /// of that name on `PATH` (what `execvp`, and so Python's `Popen`, does).
    static func locate(_ program: String) throws(ProcessLaunchError) -> String {
        if program.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: program) else { throw .notFound(program) }
            return program
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .notFound(program)
    }

    /// Runs blocking work on a thread of its own. Not Dispatch's global queue: it has as many
    /// threads as cores, and two blocked readers on a two-core machine starve everything else
    /// queued there, the timeout included.
    static func onThread<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// Starts the process with no signals blocked. Foundation spawns from the calling thread and
    /// the child inherits that thread's signal mask; Dispatch's and Swift concurrency's threads
    /// block nearly every signal, so a helper started from one could not even be stopped with
    /// SIGTERM. The mask is cleared on this thread of its own just for the spawn.
    static func spawn(_ process: Process) -> String? {
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        do {
            try process.run()
            return nil
        } catch {
            return error.localizedDescription
        }
    }

    /// Reads to the end of the pipe, keeping at most `limit` bytes but draining the rest so the
    /// child never blocks on a full pipe.
    static func drain(_ handle: FileHandle, limit: Int) -> ([UInt8], Bool) {
        var kept: [UInt8] = []
        var cut = false
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            let room = limit - kept.count
            if data.count > room { cut = true }
            if room > 0 { kept.append(contentsOf: data.prefix(room)) }
        }
        return (kept, cut)
    }

    /// Waits for the process to exit; past the deadline it is sent SIGTERM, and SIGKILL if it
    /// is still there two seconds later. Returns whether it was stopped.
    static func wait(for process: Process, seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        guard process.isRunning else { return false }
        process.terminate()
        let grace = Date(timeIntervalSinceNow: 2)
        while process.isRunning, Date() < grace { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return true
    }
}
