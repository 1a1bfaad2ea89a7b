/// What a finished process wrote and how it ended.
public struct ProcessOutput: Sendable, Equatable {
    /// The exit status, or the signal number when `signaled`.
    public var status: Int32
    public var signaled: Bool
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// It was terminated for running past the timeout.
    public var timedOut: Bool
    /// It wrote more than the runner keeps; what it wrote is cut short.
    public var truncated: Bool

    public init(status: Int32, signaled: Bool = false, stdout: [UInt8], stderr: [UInt8] = [], timedOut: Bool = false, truncated: Bool = false) {
        self.status = status
        self.signaled = signaled
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
        self.truncated = truncated
    }
}
