/// What one connection is doing, as a value that takes events and returns what to do next, so
/// the timeouts and the lingering close can be tested without a socket (swift-nio's
/// `HTTPServerPipelineHandler` keeps its state the same way).
///
/// The limits follow what front ends of HTTP services do (nginx's `client_header_timeout`,
/// `keepalive_timeout` and `lingering_close`): a request head must arrive whole within the
/// header timeout of its first byte, a connection with nothing to do is closed after the idle
/// timeout, and a close the server decides on while the client may still be sending (an early
/// error, a refused head) shuts down only the sending side and reads and drops what arrives for
/// a short while, so the client gets the answer instead of a reset.
struct ConnectionLifecycle: Equatable {
    struct Limits: Equatable {
        /// From a request's first byte to its whole head.
        var headerTimeoutMillis: Int64
        /// Nothing received or to send between requests, or no body bytes for this long.
        var idleTimeoutMillis: Int64
        /// A lingering close ends after this long without bytes from the client…
        var lingerQuietMillis: Int64 = 2_000
        /// …and after this long in all.
        var lingerTotalMillis: Int64 = 10_000
    }

    enum Phase: Equatable {
        /// Between requests: nothing received of the next one.
        case idle
        /// Some bytes of a head arrived, not all of it.
        case readingHead
        /// The head arrived; its body is still coming.
        case readingBody
        /// A whole request is with the server (it may take minutes: an execution, a worker).
        case serving
        /// Output is shut down; input is read and dropped until the client closes.
        case lingering(since: Int64)
        case closed
    }

    /// What the channel handler does next.
    enum Action: Equatable {
        case none
        /// (Re)arm the one timer for this many milliseconds.
        case arm(Int64)
        case disarm
        /// Answer `408 Request Timeout` and close.
        case timeOut
        /// Shut down output (after pending writes) and start dropping input.
        case shutDownOutput(arm: Int64)
        case close
    }

    enum Signal: Equatable {
        case headReceived
        case requestReceived
        case responsesComplete
    }

    let limits: Limits
    private(set) var phase = Phase.idle
    /// The client shut down its sending side (or the connection hit end of file).
    private(set) var inputClosed = false

    init(limits: Limits) { self.limits = limits }

    /// The connection became active.
    mutating func opened() -> Action { .arm(limits.idleTimeoutMillis) }

    /// Bytes arrived; `forward` says whether the HTTP decoder gets them.
    mutating func bytesArrived(at now: Int64) -> (forward: Bool, action: Action) {
        switch phase {
        case .idle:
            phase = .readingHead
            return (true, .arm(limits.headerTimeoutMillis))
        case .readingBody:
            return (true, .arm(limits.idleTimeoutMillis))
        case .readingHead, .serving:
            return (true, .none)
        case .lingering(let since):
            let left = since + limits.lingerTotalMillis - now
            return (false, left <= 0 ? .close : .arm(min(limits.lingerQuietMillis, left)))
        case .closed:
            return (false, .none)
        }
    }

    mutating func received(_ signal: Signal) -> Action {
        switch (signal, phase) {
        case (_, .lingering), (_, .closed):
            return .none
        case (.headReceived, .idle), (.headReceived, .readingHead):
            phase = .readingBody
            return .arm(limits.idleTimeoutMillis)
        case (.headReceived, _):
            return .none
        case (.requestReceived, _):
            phase = .serving
            return .disarm
        case (.responsesComplete, _):
            if inputClosed {
                phase = .closed
                return .close
            }
            phase = .idle
            return .arm(limits.idleTimeoutMillis)
        }
    }

    mutating func timerFired() -> Action {
        switch phase {
        case .idle, .lingering:
            phase = .closed
            return .close
        case .readingHead, .readingBody:
            phase = .closed
            return .timeOut
        case .serving, .closed:
            return .none
        }
    }

    /// The client will send nothing more. Returns whether the event goes on to the HTTP codec
    /// (which must see the end of a request it is in the middle of).
    mutating func inputEnded() -> (forward: Bool, action: Action) {
        inputClosed = true
        switch phase {
        case .idle, .lingering:
            phase = .closed
            return (false, .close)
        case .readingHead, .readingBody, .serving:
            return (true, .none)
        case .closed:
            return (false, .none)
        }
    }

    /// The server asked to close. `abortive` closes at once (an injected reset, a shutdown
    /// past its grace); otherwise the close lingers unless the client already stopped sending.
    mutating func closeRequested(abortive: Bool, at now: Int64) -> Action {
        switch phase {
        case .closed:
            return .close
        case .lingering:
            return abortive ? closeNow() : .none
        default:
            if abortive || inputClosed { return closeNow() }
            phase = .lingering(since: now)
            return .shutDownOutput(arm: limits.lingerQuietMillis)
        }
    }

    private mutating func closeNow() -> Action {
        phase = .closed
        return .close
    }
}
