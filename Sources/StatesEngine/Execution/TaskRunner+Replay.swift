import JSONCore

/// A Task attempt on a resumed execution (see `HistoryReplay`). An attempt whose outcome is
/// in the history takes it from there: the resource is not called again. One that was under
/// way when Understudy stopped is, by our choice, what an attempt that never answered is on
/// AWS when its worker is lost: it fails with `States.TaskFailed`, so its Retry (or Catch)
/// decides, as for any failed call; a call is never made twice behind the Retry's back.
/// Tasks waiting on someone else wait again, on the same token, which stays valid: an
/// activity task is queued again unless a worker had taken it, and a `.waitForTaskToken`
/// call that was made is not made again.
extension TaskRunner {
    enum Replayed {
        /// The recorded outcome, its events taken.
        case finished(Result<JSONValue, StatesError>)
        /// Scheduled and never answered; its events taken.
        case interrupted
        /// Waiting on a worker or a token when Understudy stopped.
        case awaitingCallback(workerTookIt: Bool)
    }

    static let interruptedCause =
        "Understudy stopped while this task was in flight, so its result is unknown; the attempt is counted as failed and the state's Retry and Catch apply."

    /// What the replay holds for this attempt; nil when its lane recorded none (the
    /// execution goes on from here as usual).
    func replayed() -> Replayed? {
        let ahead = lane.recordedAhead
        guard let first = ahead.first, Self.attemptStarts.contains(first.type) else { return nil }
        var submitted = false, workerTookIt = false
        for (offset, event) in zip(0..., ahead) {
            if offset > 0, Self.attemptStarts.contains(event.type) { break }
            submitted = submitted || event.type == .taskSubmitted
            workerTookIt = workerTookIt || event.type == .activityStarted
            guard Self.outcomes.contains(event.type) else { continue }
            for taken in ahead.prefix(offset + 1) { lane.add(taken.type) }
            let details = event.details?.value
            switch event.type {
            case .taskSucceeded, .lambdaFunctionSucceeded, .activitySucceeded:
                let text = details?["output"]?.stringValue ?? "null"
                return .finished(.success((try? JSONParser.parse(Array(text.utf8))) ?? .null))
            default:
                let error = StatesError(details?["error"]?.stringValue ?? "", details?["cause"]?.stringValue)
                return .finished(.failure(error))
            }
        }
        if resource.pattern == .activity || (resource.pattern == .waitForTaskToken && submitted) {
            return .awaitingCallback(workerTookIt: workerTookIt)
        }
        for taken in ahead { lane.add(taken.type) }
        return .interrupted
    }

    /// The events that begin an attempt.
    static let attemptStarts: Set<HistoryEventType> = [.taskScheduled, .lambdaFunctionScheduled, .activityScheduled]

    /// The events that end one.
    static let outcomes: Set<HistoryEventType> = [
        .taskSucceeded, .taskFailed, .taskTimedOut, .lambdaFunctionSucceeded, .lambdaFunctionFailed, .lambdaFunctionTimedOut,
        .activitySucceeded, .activityFailed, .activityTimedOut, .activityScheduleFailed,
    ]
}
