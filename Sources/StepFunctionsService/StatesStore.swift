import AWSWire
public import Durable
import JSONCore
import ServiceKit
import StatesEngine
import Locking

/// State machines and executions, keyed by (account, region) through their ARNs.
public final class StatesStore: Sendable {
    /// A state machine as a value: the store hands out copies and changes the one it keeps
    /// only under its lock (`updateMachine`), so concurrent requests never race on it.
    struct Machine: Sendable {
        let arn: String
        let name: String
        let type: StateMachineType
        var definitionText: String
        var definition: StateMachineDefinition
        var roleArn: String
        let creationMillis: Int64
        var updateMillis: Int64
        var revisionId: String
        var tags: [(String, String)] = []
        var loggingConfiguration: JSONValue
        var tracingEnabled: Bool
        /// Published versions (immutable snapshots), numbered from 1.
        var versions: [Version] = []
        var nextVersion = 1
        var aliases: [String: Alias] = [:]

        struct Version: Sendable {
            let number: Int
            let definitionText: String
            let definition: StateMachineDefinition
            let roleArn: String
            let description: String?
            let createdMillis: Int64
            let revisionId: String
        }

        struct Alias: Sendable {
            let name: String
            var description: String?
            var routing: [(versionArn: String, weight: Int)]
            let createdMillis: Int64
            var updatedMillis: Int64
        }

        init(arn: String, name: String, type: StateMachineType, definitionText: String, definition: StateMachineDefinition, roleArn: String, createdAt: Int64, logging: JSONValue, tracing: Bool) {
            self.arn = arn
            self.name = name
            self.type = type
            self.definitionText = definitionText
            self.definition = definition
            self.roleArn = roleArn
            creationMillis = createdAt
            updateMillis = createdAt
            revisionId = ""
            loggingConfiguration = logging
            tracingEnabled = tracing
        }
    }

    final class Execution: Sendable {
        let arn: String
        let name: String
        let machineArn: String
        let machineName: String
        let input: String
        let startMillis: Int64
        let history: ExecutionHistory
        let definitionText: String
        let definition: StateMachineDefinition
        let roleArn: String
        /// The definition's revision when the execution started (empty for the first).
        let revisionId: String
        let express: Bool
        /// Set for a Distributed Map's child execution: the map run that started it.
        let mapRunArn: String?
        /// When started through a version or alias ARN.
        let versionArn: String?
        let aliasArn: String?
        /// The mock configuration's test case it runs, with its counters.
        let mocks: MockedTestCase?
        private let state = Locked<(status: ExecutionStatus, output: String?, error: String?, cause: String?, stopMillis: Int64?)>((.running, nil, nil, nil, nil))

        init(
            arn: String, name: String, machine: Machine, input: String, startMillis: Int64, express: Bool, version: Machine.Version? = nil,
            aliasArn: String? = nil, mocks: MockedTestCase? = nil
        ) {
            self.mocks = mocks
            self.arn = arn
            self.name = name
            machineArn = machine.arn
            machineName = machine.name
            self.input = input
            self.startMillis = startMillis
            history = ExecutionHistory(maximumEvents: express ? nil : ExecutionHistory.standardMaximumEvents)
            definitionText = version?.definitionText ?? machine.definitionText
            definition = version?.definition ?? machine.definition
            roleArn = version?.roleArn ?? machine.roleArn
            revisionId = version?.revisionId ?? machine.revisionId
            self.express = express
            mapRunArn = nil
            versionArn = version.map { "\(machine.arn):\($0.number)" }
            self.aliasArn = aliasArn
        }

        /// A Distributed Map's child execution, which runs inside its parent's execution.
        init(child: MapRunChild, of run: MapRun) {
            arn = child.arn
            name = child.name
            machineArn = run.stateMachineArn
            machineName = run.stateMachineName
            input = child.input
            startMillis = child.startMillis
            history = child.history
            definitionText = JSONValue.object(child.definition.raw).jsonString
            definition = child.definition
            roleArn = child.roleArn
            revisionId = ""
            express = false
            mapRunArn = run.arn
            versionArn = nil
            aliasArn = nil
            mocks = nil
        }

        /// An execution read back from the database.
        init(
            restoring arn: String, name: String, machineArn: String, machineName: String, input: String, startMillis: Int64, definitionText: String,
            definition: StateMachineDefinition, roleArn: String, revisionId: String, versionArn: String?, aliasArn: String?,
            end: (status: ExecutionStatus, output: String?, error: String?, cause: String?, stopMillis: Int64?), redriveCount: Int,
            history: ExecutionHistory
        ) {
            self.arn = arn
            self.name = name
            self.machineArn = machineArn
            self.machineName = machineName
            self.input = input
            self.startMillis = startMillis
            self.history = history
            self.definitionText = definitionText
            self.definition = definition
            self.roleArn = roleArn
            self.revisionId = revisionId
            express = false
            mapRunArn = nil
            self.versionArn = versionArn
            self.aliasArn = aliasArn
            mocks = nil
            state.withLock { $0 = end }
            redrive.withLock { $0.count = redriveCount }
        }

        var snapshot: (status: ExecutionStatus, output: String?, error: String?, cause: String?, stopMillis: Int64?) { state.withLock { $0 } }

        /// The task running the execution, cancelled by StopExecution and reset; held only
        /// while it runs. A finished task keeps its async frames' slabs until it is released
        /// (about 40 KB for one Pass state), so holding it for each of the 1,000 express
        /// executions kept for the admin view cost 40 MB.
        private let runner = Locked<Task<Void, Never>?>(nil)

        /// Starts `body` as the execution's runner and lets go of it when it ends. The task is
        /// made while the lock is held, so its own release cannot come before it is stored.
        func startRunner(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
            runner.withLock { held in
                let task = Task { [self] in
                    await body()
                    runner.withLock { $0 = nil }
                }
                held = task
                return task
            }
        }

        func cancelRunner() { runner.withLock { $0?.cancel() } }

        /// Returns when the execution has ended, or sooner when the caller is cancelled (a
        /// parent stopped while its `.sync` Task waits). It looks every few milliseconds: a
        /// parent waiting on a child is no hot path, and the wait stays cancellable.
        func waitUntilFinished() async {
            while snapshot.status == .running, !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
        }

        /// Whether a runner is held: only while it runs.
        var holdsRunner: Bool { runner.withLock { $0 != nil } }

        /// RedriveExecution's bookkeeping.
        private let redrive = Locked<(count: Int, lastMillis: Int64?, resume: Interpreter.ResumePoint?)>((0, nil, nil))
        var redriveInfo: (count: Int, lastMillis: Int64?, resume: Interpreter.ResumePoint?) { redrive.withLock { $0 } }
        func setResumePoint(_ point: Interpreter.ResumePoint?) { redrive.withLock { $0.resume = point } }

        /// Back to RUNNING for a redrive; false when it cannot be redriven.
        func restart(at millis: Int64) -> Bool {
            let ok = state.withLock { s -> Bool in
                guard s.status.endsRedrivably else { return false }
                s = (.running, nil, nil, nil, nil)
                return true
            }
            if ok { redrive.withLock { $0.count += 1; $0.lastMillis = millis } }
            return ok
        }

        /// Records the end once; a stopped execution keeps its ABORTED status.
        func finish(status: ExecutionStatus, output: String?, error: String?, cause: String?, at millis: Int64) {
            state.withLock { s in
                guard s.status == .running else { return }
                s = (status, output, error, cause, millis)
            }
        }
    }

    private struct State {
        var machines: [String: Machine] = [:]
        var machineOrder: [String] = []
        var executions: [String: Execution] = [:]
        var executionOrder: [String] = []
        var expressOrder: [String] = []
        var mapRuns: [String: MapRun] = [:]
        var mapRunOrder: [String] = []
    }

    private let state: Locked<State>
    /// Where state machines are kept under `--data-dir`; nil keeps them in memory only.
    private let database: StateDatabase?

    public init() {
        state = Locked(State())
        interruptedAtLoad = Locked([])
        database = nil
    }

    /// The store over `database`, with the state machines and executions it holds; an
    /// execution still running when the server stopped ends FAILED at `startMillis`.
    public init(database: StateDatabase?, startMillis: Int64) throws(SQLiteDatabase.Failure) {
        self.database = database
        var loaded = State()
        for (arn, document) in try database?.all(.stateMachines) ?? [] {
            guard let machine = MachineRecord.machine(document) else {
                throw SQLiteDatabase.Failure(description: "the state machine \(arn) in \(database?.database.path ?? "") cannot be read")
            }
            loaded.machines[arn] = machine
            loaded.machineOrder.append(arn)
        }
        var interrupted: [Execution] = []
        var definitions: [String: StateMachineDefinition] = [:]
        for (arn, document) in try database?.all(.executions) ?? [] {
            guard let execution = ExecutionRecord.execution(document, definitions: &definitions) else {
                throw SQLiteDatabase.Failure(description: "the execution \(arn) in \(database?.database.path ?? "") cannot be read")
            }
            loaded.executions[arn] = execution
            loaded.executionOrder.append(arn)
            if execution.snapshot.status == .running { interrupted.append(execution) }
        }
        state = Locked(loaded)
        interruptedAtLoad = Locked(interrupted)
    }

    /// The executions that were RUNNING when the database was last written (Understudy
    /// stopped or was killed while they ran), handed out once, to be resumed.
    private let interruptedAtLoad: Locked<[Execution]>

    func takeInterrupted() -> [Execution] { interruptedAtLoad.withLock { list in defer { list = [] }; return list } }

    /// Ends an interrupted execution that cannot be resumed FAILED with `cause`, closing its
    /// history with consecutive ids, rather than leaving it RUNNING for ever.
    func failInterrupted(_ execution: Execution, cause: String, at millis: Int64) {
        execution.finish(status: .failed, output: nil, error: StatesErrorName.runtime.rawValue, cause: cause, at: millis)
        execution.history.recordInterrupted(
            input: (try? JSONParser.parse(Array(execution.input.utf8))) ?? .string(execution.input), roleArn: execution.roleArn,
            startMillis: execution.startMillis, error: StatesErrorName.runtime.rawValue, cause: cause, at: millis)
        try? persist(execution: execution)
    }

    /// Writes a STANDARD execution through to the database (when StartExecution is answered,
    /// and when it ends); an EXPRESS one or a map run's child is not kept.
    func persist(execution: Execution) throws(AWSServiceError) {
        guard !execution.express, execution.mapRunArn == nil else { return }
        do throws(SQLiteDatabase.Failure) {
            try database?.put(.executions, key: execution.arn, document: ExecutionRecord.document(execution))
        } catch {
            throw Self.storageFailure(error)
        }
    }

    /// Writes `machine` through to the database before the change is made or answered.
    private func persist(_ machine: Machine) throws(AWSServiceError) {
        do throws(SQLiteDatabase.Failure) {
            try database?.put(.stateMachines, key: machine.arn, document: MachineRecord.document(machine))
        } catch {
            throw Self.storageFailure(error)
        }
    }

    /// A write the database refused: retryable, as AWS's own 5xx are.
    static func storageFailure(_ error: SQLiteDatabase.Failure) -> AWSServiceError {
        AWSServiceError(code: "ServiceUnavailable", message: "The change could not be stored: \(error.description)", status: 503)
    }

    func machine(_ arn: String) -> Machine? { state.withLock { $0.machines[arn] } }

    /// Adds a machine unless one with its ARN exists, which it returns instead (so two
    /// concurrent creations of one name cannot both add).
    func addMachine(_ machine: Machine) throws(AWSServiceError) -> Machine? {
        try state.withLock { s throws(AWSServiceError) -> Machine? in
            if let existing = s.machines[machine.arn] { return existing }
            try persist(machine)
            s.machines[machine.arn] = machine
            s.machineOrder.append(machine.arn)
            return nil
        }
    }

    /// Changes the machine at `arn` under the lock and returns what `change` returns, or nil
    /// when there is no such machine. A change that throws leaves the machine as it was.
    func updateMachine<Result: Sendable>(
        _ arn: String, _ change: (inout Machine) throws(AWSServiceError) -> Result
    ) throws(AWSServiceError) -> Result? {
        try state.withLock { s throws(AWSServiceError) -> Result? in
            guard var machine = s.machines[arn] else { return nil }
            let result = try change(&machine)
            try persist(machine)
            s.machines[arn] = machine
            return result
        }
    }

    func removeMachine(_ arn: String) throws(AWSServiceError) {
        try state.withLock { s throws(AWSServiceError) in
            do throws(SQLiteDatabase.Failure) {
                try database?.delete(.stateMachines, key: arn)
            } catch {
                throw Self.storageFailure(error)
            }
            s.machines[arn] = nil
            s.machineOrder.removeAll { $0 == arn }
        }
    }

    func machines(prefix: String) -> [Machine] { state.withLock { s in s.machineOrder.filter { $0.hasPrefix(prefix) }.compactMap { s.machines[$0] } } }

    func execution(_ arn: String) -> Execution? { state.withLock { $0.executions[arn] } }

    /// Express executions kept for the admin view; AWS keeps none, so older ones are dropped
    /// and memory stays bounded however many run.
    static let retainedExpressExecutions = 1000

    func addExecution(_ execution: Execution) {
        // The evicted execution is returned and released after the lock: freeing its history
        // under the lock would hold up every other request that reads the store.
        _ = state.withLock { s -> Execution? in
            s.executions[execution.arn] = execution
            s.executionOrder.append(execution.arn)
            guard execution.express else { return nil }
            s.expressOrder.append(execution.arn)
            guard s.expressOrder.count > Self.retainedExpressExecutions else { return nil }
            let arn = s.expressOrder.removeFirst()
            if let i = s.executionOrder.firstIndex(of: arn) { s.executionOrder.remove(at: i) }
            return s.executions.removeValue(forKey: arn)
        }
    }

    func executions(of machineArn: String) -> [Execution] {
        state.withLock { s in s.executionOrder.reversed().compactMap { s.executions[$0] }.filter { $0.machineArn == machineArn } }
    }

    /// Every execution's ARN, oldest first, and the executions by ARN: both copied on write,
    /// so taking them costs two retains and the console pages through them outside the lock.
    func executionIndex() -> (order: [String], executions: [String: Execution]) {
        state.withLock { s in (s.executionOrder, s.executions) }
    }

    func recentExecutions(limit: Int) -> [Execution] {
        state.withLock { s in Array(s.executionOrder.suffix(limit).reversed().compactMap { s.executions[$0] }) }
    }

    func addMapRun(_ run: MapRun) { state.withLock { s in
        s.mapRuns[run.arn] = run
        s.mapRunOrder.append(run.arn)
    } }

    func mapRun(_ arn: String) -> MapRun? { state.withLock { $0.mapRuns[arn] } }

    /// The map runs an execution started, newest first.
    func mapRuns(of executionArn: String) -> [MapRun] {
        state.withLock { s in s.mapRunOrder.reversed().compactMap { s.mapRuns[$0] }.filter { $0.executionArn == executionArn } }
    }

    /// A map run's child executions, newest first.
    func executions(ofMapRun mapRunArn: String) -> [Execution] {
        state.withLock { s in s.executionOrder.reversed().compactMap { s.executions[$0] }.filter { $0.mapRunArn == mapRunArn } }
    }

    /// Forgets everything, and stops every execution still running: nothing of the old state
    /// may go on calling tasks or writing results after a reset.
    public func reset() {
        let running = state.withLock { s -> [Execution] in
            let executions = Array(s.executions.values)
            s = State()
            try? database?.delete(all: .stateMachines)
            try? database?.delete(all: .executions)
            return executions
        }
        for execution in running { execution.cancelRunner() }
    }

    /// The type (STANDARD or EXPRESS) of the machine a machine, version or alias ARN names.
    public func stateMachineType(of arn: String) -> String? { machine(StatesOperations.split(arn).base)?.type.rawValue }
}
