import JSONCore

/// Runs a Task state's resource once (Retry is the ErrorHandler's): the Task events AWS
/// records, TimeoutSeconds against simulated latency, and the resources that wait on someone
/// else (activities, `.waitForTaskToken`) through `CallbackWait`.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
struct TaskRunner: Sendable {
    let run: Run
    let state: StateDefinition
    let task: TaskState
    let lane: HistoryLane

    var resource: TaskResource { task.resource }

    /// A fresh token when the resource waits for one, else nil.
    func issueToken() -> String? {
        guard resource.waitsOnOutside else { return nil }
        // Opaque and long like AWS's, drawn from the execution's seeded stream so a replayed
        // run hands out the same tokens.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96)
        for _ in 0..<12 {
            let word = run.nextRandom()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return TaskToken.make(bytes)
    }

    /// JSONPath `TimeoutSeconds`/`HeartbeatSeconds` or their `…Path` forms (a positive integer).
    func seconds(_ setting: TaskTimeout?, _ field: String, input: JSONValue, context: JSONValue) throws(StatesError) -> Int? {
        switch setting {
        case nil, .template?: return nil
        case .seconds(let seconds)?: return seconds
        case .path(let reference)?:
            let text = reference.text
            guard case .success(let path) = reference.parsed else { throw StatesError.runtime("Invalid \(field)Path '\(text)'") }
            guard let value = path.evaluate(input: input, context: context) else {
                throw StatesError.runtime("The \(field)Path parameter does not reference an input value: \(text)")
            }
            guard let seconds = value.intValue, seconds > 0, value.numberValue?.isInteger ?? false else {
                throw StatesError.runtime("The \(field)Path parameter does not reference a valid positive integer value: \(text) == \(value.jsonString)")
            }
            return seconds
        }
    }

    /// JSONata `TimeoutSeconds`/`HeartbeatSeconds`: an integer of at least 1.
    func seconds(_ setting: TaskTimeout?, _ field: String, _ fields: JSONataTemplate) throws(StatesError) -> Int? {
        switch setting {
        case nil: return nil
        case .seconds(let seconds)?: return seconds
        case .template(let template)?: return try fields.integer(template, field: field, minimum: 1)
        case .path?: return nil
        }
    }

    /// Runs the resource with `parameters`. `token` is the attempt's task token when the
    /// resource waits for one; `attempt` is the state's try (1, then one more per Retry).
    func invoke(parameters: JSONValue, timeout: Int?, heartbeat: Int?, token: String?, attempt: Int = 1) async throws(StatesError) -> JSONValue {
        if let mocks = run.interpreter.mocks, let lookup = mocks.next(state: state.name) {
            return try mocked(lookup, testCase: mocks, parameters: parameters, timeout: timeout, heartbeat: heartbeat)
        }
        /// Set when a resumed execution was waiting on this attempt's callback: whether a worker
        /// had taken its activity task.
        var resumed: Bool? = nil
        if lane.isReplaying, let replayed = replayed() {
            switch replayed {
            case .finished(let result): return try result.get()
            case .interrupted: throw failed(StatesError(.taskFailed, Self.interruptedCause))
            case .awaitingCallback(let workerTookIt): resumed = workerTookIt
            }
        }
        if let token, resource.pattern == .activity {
            return try await activity(input: parameters, token: token, timeout: timeout, heartbeat: heartbeat, workerTookIt: resumed)
        }
        scheduledAndStarted(parameters, timeout: timeout, heartbeat: heartbeat)
        if let token, resource.pattern == .waitForTaskToken {
            let answer: CallbackWait.Answer
            do throws(StatesError) {
                answer = try await CallbackWait(run: run, lane: lane).answer(token: token, timeout: timeout, heartbeat: heartbeat) { () async throws(StatesError) in
                    // Resumed: the call was made and its token handed out before the restart.
                    if resumed != nil {
                        lane.add(.taskSubmitted)
                        return
                    }
                    run.interpreter.history.commit()
                    let response = try await run.interpreter.tasks.invoke(resource: resource.invoked, parameters: parameters, context: taskContext(attempt: attempt))
                    lane.add(.taskSubmitted, resourceDetails(["output": .string(response.jsonString), "outputDetails": ["truncated": false]]))
                } started: { _ in }
            } catch {
                if error.is(.aborted) { throw error }
                throw failed(error)
            }
            switch answer {
            case .succeeded(let output): return succeeded(output)
            case .failed(let error): throw failed(error)
            case .timedOut(let error):
                timedOut(error.error)
                throw error
            }
        }
        do throws(StatesError) {
            let started = run.clock.nowMillis()
            let tasks = run.interpreter.tasks
            let invoked = resource.arn
            let context = taskContext(attempt: attempt)
            // On disk before the call: a resumed execution knows it was made.
            run.interpreter.history.commit()
            let output = try await run.overlapping { () async throws(StatesError) -> JSONValue in
                try await tasks.invoke(resource: invoked, parameters: parameters, context: context)
            }
            // Task TimeoutSeconds: a result that took longer (simulated latency) is a timeout.
            if let timeout, ExecutionTime.subtracting(run.clock.nowMillis(), started) > ExecutionTime.millis(seconds: timeout) {
                timedOut(StatesErrorName.timeout.rawValue)
                throw StatesError(.timeout, nil)
            }
            return succeeded(output)
        } catch {
            if error.is(.timeout) { throw error }
            throw failed(error)
        }
    }

    /// A mocked Task: the events of a call (TaskScheduled with the resolved parameters,
    /// TaskStarted, then TaskSucceeded or TaskFailed) with the mock's answer, and no call. A
    /// `.waitForTaskToken` or `.sync` Task completes with the mock at once, as in Step
    /// Functions Local; an activity cannot be mocked (its words). With a `fieldValidationMode`
    /// other than `NONE`, a `Return` that does not fit its API's output shape fails the
    /// execution with `States.Runtime` before the task is scheduled: a broken fixture, which no
    /// Catch should route to a fallback, in TestState's words and saying which mock it is.
    private func mocked(
        _ lookup: MockedTestCase.Lookup, testCase mocks: MockedTestCase, parameters: JSONValue, timeout: Int?, heartbeat: Int?
    ) throws(StatesError) -> JSONValue {
        let testCase = mocks.name
        if resource.pattern == .activity {
            throw StatesError.runtime("Activity state cannot be mocked. Please remove mocks mapped for all activity state in the mock config file.")
        }
        switch lookup {
        case .missing(let invocation, let response, let coverage):
            throw StatesError.runtime(
                "The mocked response '\(response)' of test case '\(testCase)' has no answer for invocation \(invocation) of the state '\(state.name)' "
                    + "(it answers \(coverage.isEmpty ? "none" : coverage)); give one for every invocation, Retry attempts and Map iterations included.")
        case .answer(let answer, let invocation, let response):
            if case .returns(let output) = answer,
                let problem = MockResultValidator.problem(in: output, resource: resource.arn, mode: mocks.fieldValidationMode, dialect: .execution)
            {
                throw StatesError.runtime(
                    "\(problem) (the mocked response '\(response)' of test case '\(testCase)', invocation \(invocation) of the state '\(state.name)', "
                        + "fieldValidationMode \(mocks.fieldValidationMode.rawValue))")
            }
            scheduledAndStarted(parameters, timeout: timeout, heartbeat: heartbeat)
            switch answer {
            case .returns(let output):
                return succeeded(output)
            case .throwsError(let error, let cause):
                throw failed(StatesError(error, cause))
            }
        }
    }

    private func taskContext(attempt: Int) -> TaskContext {
        let lane = lane, resource = resource
        return TaskContext(
            stateName: state.name, executionArn: run.info.arn, region: run.info.region, account: run.info.account, stateMachine: run.info.stateMachineName,
            attempt: attempt,
            submitted: { output in
                lane.add(
                    .taskSubmitted,
                    TaskRunner.resourceDetails(resource, ["output": .string(output.jsonString), "outputDetails": ["truncated": false]]))
            })
    }

    /// `resourceType` and `resource`, then `extra`.
    private func resourceDetails(_ extra: JSONObject) -> JSONValue { Self.resourceDetails(resource, extra) }

    static func resourceDetails(_ resource: TaskResource, _ extra: JSONObject) -> JSONValue {
        var details: JSONObject = ["resourceType": .string(resource.historyType), "resource": .string(resource.historyName)]
        for member in extra.storage { details[member.key] = member.value }
        return .object(details)
    }

    /// TaskScheduled (with the resolved parameters) and TaskStarted; for a Lambda function's
    /// own ARN, LambdaFunctionScheduled (its input) and LambdaFunctionStarted, as AWS records
    /// them.
    private func scheduledAndStarted(_ parameters: JSONValue, timeout: Int?, heartbeat: Int?) {
        if resource.isLambdaFunction {
            var scheduled: JSONObject = ["input": .string(parameters.jsonString), "inputDetails": ["truncated": false], "resource": .string(resource.arn)]
            if let timeout { scheduled["timeoutInSeconds"] = JSONValue(timeout) }
            lane.add(.lambdaFunctionScheduled, .object(scheduled))
            lane.add(.lambdaFunctionStarted)
            return
        }
        var scheduled = JSONObject()
        scheduled["resourceType"] = .string(resource.historyType)
        scheduled["resource"] = .string(resource.historyName)
        scheduled["region"] = .string(run.info.region)
        scheduled["parameters"] = .string(parameters.jsonString)
        if let timeout { scheduled["timeoutInSeconds"] = JSONValue(timeout) }
        if let heartbeat { scheduled["heartbeatInSeconds"] = JSONValue(heartbeat) }
        lane.add(.taskScheduled, .object(scheduled))
        lane.add(.taskStarted, resourceDetails([:]))
    }

    private func failed(_ error: StatesError) -> StatesError {
        var extra: JSONObject = ["error": .string(error.error)]
        if let cause = error.cause { extra["cause"] = .string(cause) }
        if resource.isLambdaFunction {
            lane.add(.lambdaFunctionFailed, .object(extra))
        } else {
            lane.add(.taskFailed, resourceDetails(extra))
        }
        return error
    }

    private func succeeded(_ output: JSONValue) -> JSONValue {
        let details: JSONObject = ["output": .string(output.jsonString), "outputDetails": ["truncated": false]]
        if resource.isLambdaFunction {
            lane.add(.lambdaFunctionSucceeded, .object(details))
        } else {
            lane.add(.taskSucceeded, resourceDetails(details))
        }
        return output
    }

    private func timedOut(_ error: String) {
        if resource.isLambdaFunction {
            lane.add(.lambdaFunctionTimedOut, ["error": .string(error)])
        } else {
            lane.add(.taskTimedOut, resourceDetails(["error": .string(error)]))
        }
    }

    /// An activity task: ActivityScheduled, ActivityStarted when a worker takes it, then
    /// ActivitySucceeded, ActivityFailed or ActivityTimedOut. `workerTookIt` is set when a
    /// resumed execution's activity task was scheduled before the restart: queued again
    /// unless a worker had taken it.
    private func activity(input: JSONValue, token: String, timeout: Int?, heartbeat: Int?, workerTookIt: Bool?) async throws(StatesError) -> JSONValue {
        let arn = resource.arn
        guard let callbacks = run.interpreter.callbacks else { throw scheduleFailed() }
        var scheduled = JSONObject()
        scheduled["resource"] = .string(arn)
        scheduled["input"] = .string(input.jsonString)
        scheduled["inputDetails"] = ["truncated": false]
        if let timeout { scheduled["timeoutInSeconds"] = JSONValue(timeout) }
        if let heartbeat { scheduled["heartbeatInSeconds"] = JSONValue(heartbeat) }
        let outcome = try await CallbackWait(run: run, lane: lane).answer(token: token, timeout: timeout, heartbeat: heartbeat) { () throws(StatesError) in
            if workerTookIt == true {
                lane.add(.activityScheduled)
                lane.add(.activityStarted)
                return
            }
            guard callbacks.schedule(activityArn: arn, token: token, input: input.jsonString) else { throw scheduleFailed() }
            lane.add(.activityScheduled, .object(scheduled))
        } started: { worker in
            var details = JSONObject()
            if let worker { details["workerName"] = .string(worker) }
            lane.add(.activityStarted, .object(details))
        }
        switch outcome {
        case .succeeded(let output):
            lane.add(.activitySucceeded, ["output": .string(output.jsonString), "outputDetails": ["truncated": false]])
            return output
        case .failed(let error):
            lane.add(.activityFailed, CallbackWait.errorDetails(error))
            throw error
        case .timedOut(let error):
            lane.add(.activityTimedOut, CallbackWait.errorDetails(error))
            throw error
        }
    }

    private func scheduleFailed() -> StatesError {
        let error = StatesError(.runtime, "The activity '\(resource.arn)' does not exist.")
        lane.add(.activityScheduleFailed, CallbackWait.errorDetails(error))
        return error
    }
}
