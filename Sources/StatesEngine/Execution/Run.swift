import Determinism
import JSONCore
import Locking

/// One execution's working state. A Parallel branch or Map iteration gets a Run of its own
/// (its variable scope) over the execution's shared part.
final class Run: Sendable {
    /// What every branch of one execution shares. Branches take turns (`turn`), and the state
    /// is under a lock besides, so sharing it is safe whatever the turns do.
    final class Shared: Sendable {
        struct State {
            /// The state machine's TimeoutSeconds, as a time on the execution clock.
            var deadline: Int64?
            var timedOut = false
            /// The top-level state that failed, for RedriveExecution.
            var resumePoint: Interpreter.ResumePoint?
        }

        let state: Locked<State>
        let turn = ExecutionTurn()
        /// The `$$.Execution` and `$$.StateMachine` objects, the same for every state of the
        /// execution: made once rather than for each state and each Map item.
        let executionContext: JSONValue
        let stateMachineContext: JSONValue

        init(info: ExecutionInfo, rawInput: JSONValue, redriveCount: Int) {
            state = Locked(State())
            var execution = JSONObject()
            execution["Id"] = .string(info.arn)
            execution["Input"] = rawInput
            execution["StartTime"] = .string(StatesTimestamp.format(millis: info.startMillis))
            execution["Name"] = .string(info.name)
            execution["RoleArn"] = .string(info.roleArn)
            if !info.isExpress { execution["RedriveCount"] = JSONValue(redriveCount) }
            executionContext = .object(execution)
            stateMachineContext = ["Id": .string(info.stateMachineArn), "Name": .string(info.stateMachineName)]
        }
    }

    let interpreter: Interpreter
    let rawInput: JSONValue
    let shared: Shared
    /// The variables the running state sees and assigns.
    let scope: VariableScope
    /// Tells the Parallel or Map running this branch that it waits on something outside the
    /// execution, so the next branch may start; nil for the execution itself.
    let onBlocked: (@Sendable () -> Void)?
    /// The branch's own random stream (UUIDs, tokens, retry jitter): each branch draws from
    /// its own, so what it draws does not depend on the order branches take turns in, and a
    /// resumed execution's replay draws the same values again.
    private let random: Locked<SeededRandom>

    init(interpreter: Interpreter, rawInput: JSONValue, redriveCount: Int = 0) {
        self.interpreter = interpreter
        self.rawInput = rawInput
        shared = Shared(info: interpreter.info, rawInput: rawInput, redriveCount: redriveCount)
        scope = VariableScope()
        onBlocked = nil
        random = Locked(SeededRandom(seed: interpreter.seed, label: "execution:" + interpreter.info.arn))
    }

    /// Branch or iteration `index` of `parent`, in a scope of its own over the parent's; its
    /// random stream comes from `seed`, which the parent drew once for the whole fan-out.
    init(branchOf parent: Run, index: Int, seed: UInt64, onBlocked: @escaping @Sendable () -> Void) {
        interpreter = parent.interpreter
        rawInput = parent.rawInput
        shared = parent.shared
        scope = VariableScope(parent: parent.scope)
        self.onBlocked = onBlocked
        random = Locked(SeededRandom(seed: seed, label: String(index)))
    }

    var info: ExecutionInfo { interpreter.info }
    var clock: any ExecutionClock { interpreter.clock }

    var deadline: Int64? {
        get { shared.state.withLock { $0.deadline } }
        set { shared.state.withLock { $0.deadline = newValue } }
    }
    var timedOut: Bool {
        get { shared.state.withLock { $0.timedOut } }
        set { shared.state.withLock { $0.timedOut = newValue } }
    }
    var resumePoint: Interpreter.ResumePoint? {
        get { shared.state.withLock { $0.resumePoint } }
        set { shared.state.withLock { $0.resumePoint = newValue } }
    }

    func nextRandom() -> UInt64 { random.withLock { $0.next() } }

    /// Runs `body` with the current scope where JSONPath `$name` references can read it.
    func withScope<T>(_ body: () async throws(StatesError) -> T) async throws(StatesError) -> T {
        let result = await VariableScope.$current.withValue(scope) { () async -> Result<T, StatesError> in
            do throws(StatesError) { return .success(try await body()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Whether the state machine's deadline has passed (without marking it timed out).
    var isPastDeadline: Bool {
        guard let deadline else { return false }
        return clock.nowMillis() >= deadline
    }

    /// The state machine's TimeoutSeconds has passed: `States.Timeout`, which nothing catches.
    func checkDeadline() throws(StatesError) {
        guard let deadline, clock.nowMillis() >= deadline else { return }
        timedOut = true
        throw StatesError(.timeout, nil)
    }

    /// The `$$` object. `State.RetryCount` exists only for states that can retry (Task);
    /// express executions have no `RedriveCount`.
    func context(state: String, enteredMillis: Int64, retryCount: Int?, mapItem: (Int, JSONValue)?, taskToken: String? = nil) -> JSONValue {
        var o = JSONObject()
        o["Execution"] = shared.executionContext
        o["StateMachine"] = shared.stateMachineContext
        var stateObject: JSONObject = ["Name": .string(state), "EnteredTime": .string(StatesTimestamp.format(millis: enteredMillis))]
        if let retryCount { stateObject["RetryCount"] = JSONValue(retryCount) }
        o["State"] = .object(stateObject)
        if let (index, value) = mapItem { o["Map"] = ["Item": ["Index": JSONValue(index), "Value": value]] }
        if let taskToken { o["Task"] = ["Token": .string(taskToken)] }
        return .object(o)
    }

    // MARK: - Templates

    /// A JSONPath payload template (`Parameters`, `ResultSelector`, `ItemSelector`) over `input`.
    func payload(_ raw: JSONValue?, input: JSONValue, context: JSONValue) throws(StatesError) -> JSONValue? {
        guard let raw else { return nil }
        return try PayloadTemplate(input: input, context: context, random: { [self] in nextRandom() }).evaluate(raw)
    }

    /// JSONPath `Assign`: a payload template over `source` (the state's result, or its input
    /// for states without one).
    func assignments(_ raw: JSONValue?, source: JSONValue, context: JSONValue) throws(StatesError) -> JSONObject? {
        guard let raw else { return nil }
        guard case .object(let o) = try payload(raw, input: source, context: context) else { return nil }
        return o
    }

    /// A JSONata state's fields, with `$states.input` and `$states.context` bound. `$now()` is
    /// `nowMillis`, the time the state was entered: the same when a resumed execution runs it
    /// again.
    func jsonata(_ state: StateDefinition, input: JSONValue, context: JSONValue, nowMillis: Int64) -> JSONataTemplate {
        JSONataTemplate(state: state, input: input, context: context, variables: scope, nowMillis: nowMillis, random: { [self] in nextRandom() })
    }

    // MARK: - Taking turns

    /// Runs `body`, a wait on something outside the execution, without the turn.
    func whileBlocked<T>(_ body: () async throws(StatesError) -> T) async throws(StatesError) -> T {
        shared.turn.release()
        onBlocked?()
        let result: Result<T, StatesError>
        do throws(StatesError) { result = .success(try await body()) } catch { result = .failure(error) }
        await shared.turn.acquire()
        return try result.get()
    }

    /// Runs `body` (a sleep, a task call) without the turn when time is real, so a branch's
    /// wait overlaps its siblings'; on an instant clock nothing really waits, so the turn stays.
    func overlapping<T>(_ body: () async throws(StatesError) -> T) async throws(StatesError) -> T {
        if clock.isInstant { return try await body() }
        return try await whileBlocked(body)
    }

    /// `millis` of execution time, overlapping sibling branches' waits when time is real.
    func pause(_ millis: Int64) async {
        guard millis > 0 else { return }
        interpreter.history.commit()
        let clock = self.clock
        _ = try? await overlapping { () async throws(StatesError) in await clock.sleep(milliseconds: millis) }
    }

    /// Waits `millis` on the execution clock, cut short by the state machine's timeout.
    func sleep(_ millis: Int64) async throws(StatesError) {
        if let deadline, ExecutionTime.adding(clock.nowMillis(), millis) > deadline {
            await pause(max(0, ExecutionTime.subtracting(deadline, clock.nowMillis())))
            try checkDeadline()
        }
        await pause(millis)
    }
}
