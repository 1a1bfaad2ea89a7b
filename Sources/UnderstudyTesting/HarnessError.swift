import Chaos
import HTTPEdge

/// A test harness used in a way that cannot work, said plainly instead of a hang or a crash.
public enum HarnessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server's closure has ended; the server is stopped.
    case serverEnded
    /// A `.live` URL that is not `http://host:port`.
    case invalidURL(String)
    /// Nothing answered the health check at a `.live` URL.
    case notReachable(String, reason: String)
    /// The in-process server could not start (its configuration, or no port to bind).
    case cannotStart(String)
    /// A file the call needs (a state machine definition) cannot be read.
    case fileUnreadable(String)
    /// An answer that is not what the operation returns (no JSON where JSON belongs).
    case unexpectedAnswer(String)
    /// An in-memory server's injected network fault (`reset`, `close`, `stall`), as a client
    /// sees it; over a socket the same fault is the connection's own error.
    case connectionBroken(String)

    public var description: String {
        switch self {
        case .serverEnded: return "the Understudy server was used after its withServer closure ended"
        case .invalidURL(let url): return "not an http://host:port URL: \(url)"
        case .notReachable(let url, let reason): return "no Understudy answers at \(url): \(reason)"
        case .cannotStart(let reason): return "the in-process Understudy did not start: \(reason)"
        case .fileUnreadable(let path): return "cannot read \(path)"
        case .unexpectedAnswer(let what): return "unexpected answer: \(what)"
        case .connectionBroken(let fault): return "the connection broke (an injected \(fault) fault)"
        }
    }
}

extension HarnessError {
    /// `error` in the harness's terms where it has them.
    static func translating(_ error: any Error) -> any Error {
        guard let broken = error as? BrokenConnection else { return error }
        return HarnessError.connectionBroken(broken.fault.rawValue)
    }
}
