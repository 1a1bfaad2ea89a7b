public import JSONCore

/// Runs a state machine: every state type in JSONPath and JSONata, Retry and Catch, the `$$`
/// context object and variables, and history events as AWS records them. The definition was
/// read once into a typed tree (`StateMachineDefinition`); Map iterations and Parallel
/// branches run as tasks taking turns (`ExecutionTurn`).
public struct Interpreter: Sendable {
    public let info: ExecutionInfo
    public let clock: any ExecutionClock
    public let tasks: any TaskInvoker
    public let history: ExecutionHistory
    public let seed: UInt64
    /// Where Distributed Map runs and their children are registered for the API; nil keeps
    /// them private to the run (the CLI, TestState).
    public var mapRuns: (any MapRunRegistry)? = nil
    /// Where task tokens are answered and activity tasks queued; nil (the CLI) fails them.
    public var callbacks: (any TaskCallbacks)? = nil
    /// The mock configuration's test case this execution runs (`StartExecution` on
    /// `stateMachineArn#TestCase`); its Task states answer from it and never call their
    /// resource.
    public var mocks: MockedTestCase? = nil

    /// Step Functions' payload limit for state input and output.
    public static let maximumPayloadBytes = 262_144
    /// An EXPRESS execution's maximum duration: five minutes.
    public static let expressMaximumMillis: Int64 = 300_000

    public init(info: ExecutionInfo, clock: any ExecutionClock, tasks: any TaskInvoker, history: ExecutionHistory, seed: UInt64) {
        self.info = info
        self.clock = clock
        self.tasks = tasks
        self.history = history
        self.seed = seed
    }

    /// A finished execution.
    public enum Outcome: Sendable {
        case succeeded(JSONValue)
        case failed(StatesError)
        /// The state machine's TimeoutSeconds ran out.
        case timedOut(StatesError)
    }

    /// Where a redriven execution starts again: the top-level state that failed, and its input.
    public struct ResumePoint: Sendable {
        public var state: String
        public var input: JSONValue
    }

    /// Runs the whole execution, recording ExecutionStarted … ExecutionSucceeded/Failed. With
    /// `resume`, continues a redriven execution from that point after an ExecutionRedriven event.
    /// Returns the outcome and, on failure, where a redrive would resume.
    public func run(_ machine: StateMachineDefinition, input: JSONValue, resume: ResumePoint? = nil, redriveCount: Int = 0) async -> (Outcome, ResumePoint?) {
        // A resumed execution replays its history from the first event (`replayRecorded`).
        let replaying = history.isReplaying(lane: "")
        let lane = HistoryLane(history: history, clock: clock, last: replaying ? 0 : history.all.last?.id ?? 0)
        if resume == nil {
            lane.executionStarted(input: input, roleArn: info.roleArn)
        } else {
            lane.add(.executionRedriven, ["redriveCount": JSONValue(redriveCount)])
        }
        let run = Run(interpreter: self, rawInput: input, redriveCount: redriveCount)
        // Timeouts run from the start as recorded.
        let started = lane.lastMillis
        if let timeout = machine.timeoutSeconds {
            run.deadline = ExecutionTime.adding(started, ExecutionTime.millis(seconds: timeout))
        }
        if info.isExpress {
            // https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html:
            // an Express Workflow runs for at most five minutes, and then times out.
            let limit = ExecutionTime.adding(started, Self.expressMaximumMillis)
            run.deadline = min(run.deadline ?? limit, limit)
        }
        do throws(StatesError) {
            let output = try await MachineRunner(run: run).execute(machine, input: resume?.input ?? input, lane: lane, mapItem: nil, startAt: resume?.state, topLevel: true)
            lane.executionSucceeded(output: output)
            return (.succeeded(output), nil)
        } catch {
            // Stopped: StopExecution has recorded ExecutionAborted already.
            if Task.isCancelled { return (.failed(error), nil) }
            if run.timedOut {
                lane.executionEnded(.executionTimedOut, error)
                return (.timedOut(error), run.resumePoint)
            }
            lane.executionEnded(.executionFailed, error)
            return (.failed(error), run.resumePoint)
        }
    }
}
