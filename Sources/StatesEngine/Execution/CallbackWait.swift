import JSONCore
import Locking

/// A task that waits on someone else: an activity (a worker polls with GetActivityTask and
/// answers with SendTaskSuccess or SendTaskFailure) or a `.waitForTaskToken` integration (the
/// call carries `$$.Task.Token`; whoever receives it answers). It ends at the answer, at
/// TimeoutSeconds (`States.Timeout`) or at HeartbeatSeconds without a heartbeat
/// (`States.HeartbeatTimeout`), measured on the execution's clock.
/// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
struct CallbackWait {
    let run: Run
    let lane: HistoryLane

    enum Answer {
        case succeeded(JSONValue)
        case failed(StatesError)
        case timedOut(StatesError)
    }

    private enum Event: Sendable {
        case signal(TaskSignal)
        case expired(StatesErrorName)
    }

    /// Opens the token, runs `begin` (which schedules the work), and waits for the answer,
    /// a timeout, or the execution's end (`States.Aborted`).
    func answer(
        token: String, timeout: Int?, heartbeat: Int?, begin: () async throws(StatesError) -> Void, started: (String?) -> Void
    ) async throws(StatesError) -> Answer {
        guard let callbacks = run.interpreter.callbacks else {
            throw StatesError(.runtime, "Nothing can answer task tokens here: callback tasks need the server.")
        }
        let (events, sink) = AsyncStream<Event>.makeStream()
        callbacks.open(token: token) { sink.yield(.signal($0)) }
        var timedOut = false
        defer {
            sink.finish()
            callbacks.finish(token: token, timedOut: timedOut)
        }
        try await begin()
        run.interpreter.history.commit()
        let clock = run.clock
        // Measured from the lane's last event, the task's scheduling or submission: on a
        // resumed execution, as it was recorded before the restart.
        let start = lane.lastMillis
        let lastBeat = Locked(start)
        // Seconds from the input may be absurd: the instants saturate rather than trap.
        let timeoutMillis = timeout.map(ExecutionTime.millis(seconds:))
        let heartbeatMillis = heartbeat.map(ExecutionTime.millis(seconds:))
        let timer: Task<Void, Never>? =
            timeoutMillis == nil && heartbeatMillis == nil
            ? nil
            : Task { () async -> Void in
                var now = max(start, clock.nowMillis())
                while !Task.isCancelled {
                    var wake = Int64.max
                    if let timeoutMillis {
                        let due = ExecutionTime.adding(start, timeoutMillis)
                        if due <= now {
                            sink.yield(.expired(.timeout))
                            return
                        }
                        wake = due
                    }
                    if let heartbeatMillis {
                        let due = ExecutionTime.adding(lastBeat.withLock { $0 }, heartbeatMillis)
                        if due <= now {
                            sink.yield(.expired(.heartbeatTimeout))
                            return
                        }
                        wake = min(wake, due)
                    }
                    await clock.sleep(milliseconds: ExecutionTime.subtracting(wake, now))
                    // A clock that did not move through the sleep still counts it as waited.
                    now = max(clock.nowMillis(), wake)
                }
            }
        defer { timer?.cancel() }
        // Waiting on a worker or a token: sibling branches run meanwhile.
        return try await run.whileBlocked { () async throws(StatesError) -> Answer in
            for await event in events {
                switch event {
                case .signal(.started(let worker)):
                    lastBeat.withLock { $0 = clock.nowMillis() }
                    started(worker)
                case .signal(.heartbeat):
                    lastBeat.withLock { $0 = clock.nowMillis() }
                case .signal(.succeeded(let text)):
                    guard let output = try? JSONParser.parse(Array(text.utf8)) else {
                        return .failed(StatesError(.runtime, "The task output is not valid JSON."))
                    }
                    return .succeeded(output)
                case .signal(.failed(let error, let cause)):
                    return .failed(StatesError(error ?? "", cause))
                case .expired(let name):
                    timedOut = true
                    return .timedOut(StatesError(name, nil))
                }
            }
            throw StatesError(.aborted, nil)
        }
    }

    /// An activity event's `error` and `cause`.
    static func errorDetails(_ error: StatesError) -> JSONValue {
        var details = JSONObject()
        details["error"] = .string(error.error)
        if let cause = error.cause { details["cause"] = .string(cause) }
        return .object(details)
    }
}
