import JSONCore
import Locking

/// Tasks that wait on someone else: activities (a worker polls with GetActivityTask and
/// answers with SendTaskSuccess or SendTaskFailure) and `.waitForTaskToken` integrations (the
/// call carries `$$.Task.Token`; whoever receives it answers). Both end at the answer, at
/// TimeoutSeconds (`States.Timeout`) or at HeartbeatSeconds without a heartbeat
/// (`States.HeartbeatTimeout`), measured on the execution's clock.
extension Run {
    /// `arn:aws:states:<region>:<account>:activity:<name>`.
    static func isActivity(_ resource: String) -> Bool {
        let parts = resource.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity" && !parts[6].isEmpty
    }

    static func waitsForToken(_ resource: String) -> Bool { resource.hasSuffix(".waitForTaskToken") }

    /// A fresh token when the state's resource waits for one, else nil.
    func taskToken(for state: StateDefinition) -> String? {
        let resource = state["Resource"]?.stringValue ?? ""
        guard Self.isActivity(resource) || Self.waitsForToken(resource) else { return nil }
        // Opaque and long like AWS's, drawn from the execution's seeded stream so a replayed
        // run hands out the same tokens.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96)
        for _ in 0..<12 {
            let word = nextRandom()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return TaskToken.make(bytes)
    }

    /// An activity task: ActivityScheduled, ActivityStarted when a worker takes it, then
    /// ActivitySucceeded, ActivityFailed or ActivityTimedOut.
    func activityTask(
        resource: String, input: JSONValue, token: String, lane: HistoryLane, timeout: Int?, heartbeat: Int?
    ) async throws(StatesError) -> JSONValue {
        guard let callbacks = interpreter.callbacks else {
            throw failSchedule(resource, lane: lane)
        }
        var scheduled = JSONObject()
        scheduled["resource"] = .string(resource)
        scheduled["input"] = .string(input.jsonString)
        scheduled["inputDetails"] = ["truncated": false]
        if let timeout { scheduled["timeoutInSeconds"] = JSONValue(timeout) }
        if let heartbeat { scheduled["heartbeatInSeconds"] = JSONValue(heartbeat) }
        let outcome = try await awaitAnswer(token: token, timeout: timeout, heartbeat: heartbeat, lane: lane) { () throws(StatesError) in
            guard callbacks.schedule(activityArn: resource, token: token, input: input.jsonString) else { throw failSchedule(resource, lane: lane) }
            lane.add("ActivityScheduled", ("activityScheduledEventDetails", .object(scheduled)))
        } started: { worker in
            var details = JSONObject()
            if let worker { details["workerName"] = .string(worker) }
            lane.add("ActivityStarted", ("activityStartedEventDetails", .object(details)))
        }
        switch outcome {
        case .succeeded(let output):
            lane.add("ActivitySucceeded", ("activitySucceededEventDetails", ["output": .string(output.jsonString), "outputDetails": ["truncated": false]]))
            return output
        case .failed(let error):
            lane.add("ActivityFailed", ("activityFailedEventDetails", Self.errorDetails(error)))
            throw error
        case .timedOut(let error):
            lane.add("ActivityTimedOut", ("activityTimedOutEventDetails", Self.errorDetails(error)))
            throw error
        }
    }

    private func failSchedule(_ resource: String, lane: HistoryLane) -> StatesError {
        let error = StatesError(.runtime, "The activity '\(resource)' does not exist.")
        lane.add("ActivityScheduleFailed", ("activityScheduleFailedEventDetails", Self.errorDetails(error)))
        return error
    }

    enum Answer {
        case succeeded(JSONValue)
        case failed(StatesError)
        case timedOut(StatesError)
    }

    private enum WaitEvent: Sendable {
        case signal(TaskSignal)
        case expired(StatesErrorName)
    }

    /// Opens the token, runs `begin` (which schedules the work), and waits for the answer,
    /// a timeout, or the execution's end (`States.Aborted`).
    func awaitAnswer(
        token: String, timeout: Int?, heartbeat: Int?, lane: HistoryLane, begin: () async throws(StatesError) -> Void,
        started: (String?) -> Void
    ) async throws(StatesError) -> Answer {
        guard let callbacks = interpreter.callbacks else {
            throw StatesError(.runtime, "Nothing can answer task tokens here: callback tasks need the server.")
        }
        let (events, sink) = AsyncStream<WaitEvent>.makeStream()
        callbacks.open(token: token) { sink.yield(.signal($0)) }
        var timedOut = false
        defer {
            sink.finish()
            callbacks.finish(token: token, timedOut: timedOut)
        }
        try await begin()
        let clock = interpreter.clock
        let start = clock.nowMillis()
        let lastBeat = Locked(start)
        let timer: Task<Void, Never>? =
            timeout == nil && heartbeat == nil
            ? nil
            : Task { () async -> Void in
                var now = start
                while !Task.isCancelled {
                    var wake = Int64.max
                    if let timeout {
                        let due = start + Int64(timeout) * 1000
                        if due <= now {
                            sink.yield(.expired(.timeout))
                            return
                        }
                        wake = due
                    }
                    if let heartbeat {
                        let due = lastBeat.withLock { $0 } + Int64(heartbeat) * 1000
                        if due <= now {
                            sink.yield(.expired(.heartbeatTimeout))
                            return
                        }
                        wake = min(wake, due)
                    }
                    await clock.sleep(milliseconds: wake - now)
                    // A clock that did not move through the sleep still counts it as waited.
                    now = max(clock.nowMillis(), wake)
                }
            }
        defer { timer?.cancel() }
        // Waiting on a worker or a token: sibling branches run meanwhile.
        return try await whileBlocked { () async throws(StatesError) -> Answer in
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

    static func errorDetails(_ error: StatesError) -> JSONValue {
        var details = JSONObject()
        details["error"] = .string(error.error)
        if let cause = error.cause { details["cause"] = .string(cause) }
        return .object(details)
    }
}
