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

    private struct State {
        var machines: [String: Machine] = [:]
        var machineOrder: [String] = []
        var executions: [String: Execution] = [:]
        var executionOrder: [String] = []
        var expressOrder: [String] = []
        var mapRuns: [String: any MapRunDescription] = [:]
        var mapRunOrder: [String] = []
    }

    private let state: Locked<State>
    /// Where state machines and STANDARD executions are kept under `--data-dir`; nil keeps
    /// them in memory only.
    private let database: StateDatabase?
    /// Reads stored executions' details and histories when first asked for.
    private let records: ExecutionRecords?
    /// The executions found RUNNING at start-up, their histories read; what resuming starts from.
    private let interrupted: [Execution]

    public init() {
        state = Locked(State())
        database = nil
        records = nil
        interrupted = []
    }

    /// The store over `database`, with the state machines and map runs it holds. Of the stored
    /// executions it reads only those found RUNNING, with their histories
    /// (`interruptedExecutions()`); any other is read when first asked for, its columns first,
    /// its details when described, its history each time it is asked for.
    public init(database: StateDatabase?) throws(SQLiteDatabase.Failure) {
        self.database = database
        records = database.map(ExecutionRecords.init)
        var loaded = State()
        for (arn, document) in try database?.all(.stateMachines) ?? [] {
            guard let machine = MachineRecord.machine(document) else {
                throw SQLiteDatabase.Failure(description: "the state machine \(arn) in \(database?.database.path ?? "") cannot be read")
            }
            loaded.machines[arn] = machine
            loaded.machineOrder.append(arn)
        }
        var running: [Execution] = []
        if let database, let records {
            // Of the stored executions only the running ones are read now; the others stay in
            // the database until someone asks for one (`execution(_:)`, a listing).
            for row in try database.runningExecutionRows() {
                guard let execution = Self.restored(row, records: records) else {
                    throw SQLiteDatabase.Failure(description: "the execution \(row.key) in \(database.database.path) cannot be read")
                }
                loaded.executions[row.key] = execution
                running.append(execution)
            }
            for (arn, document) in try database.all(.mapRuns) {
                guard let run = StoredMapRun(document: document) else {
                    throw SQLiteDatabase.Failure(description: "the map run \(arn) in \(database.database.path) cannot be read")
                }
                loaded.mapRuns[arn] = run
                loaded.mapRunOrder.append(arn)
            }
        }
        for execution in running { execution.keepHistory() }
        interrupted = running
        state = Locked(loaded)
    }

    /// The executions that were RUNNING when the server stopped, with their histories: what
    /// resuming replays (`StatesOperations.resumeInterruptedExecutions`).
    func interruptedExecutions() -> [Execution] { interrupted }

    /// Ends an interrupted execution that cannot be resumed FAILED (States.Runtime) with
    /// `cause`, its history closed with ExecutionFailed and its map runs aborted, rather than
    /// leaving it RUNNING for ever.
    func failInterrupted(_ execution: Execution, cause: String, at millis: Int64) {
        execution.finish(status: .failed, output: nil, error: StatesErrorName.runtime.rawValue, cause: cause, at: millis)
        execution.history.recordInterrupted(
            input: (try? JSONParser.parse(Array(execution.input.utf8))) ?? .string(execution.input), roleArn: execution.roleArn,
            startMillis: execution.startMillis, error: StatesErrorName.runtime.rawValue, cause: cause, at: millis)
        for run in mapRuns(of: execution.arn) { (run as? StoredMapRun)?.abort(at: millis) }
        try? write(execution)
    }

    /// Writes a STANDARD execution through to the database (when StartExecution is answered,
    /// and when it ends), with its map runs; an EXPRESS one or a map run's child is not kept.
    /// Its first write binds its journal, so its events are written from then on.
    func persist(execution: Execution) throws(AWSServiceError) {
        do throws(SQLiteDatabase.Failure) {
            try write(execution)
        } catch {
            throw Self.storageFailure(error)
        }
    }

    private func write(_ execution: Execution) throws(SQLiteDatabase.Failure) {
        guard let database, let records, !execution.express, execution.mapRunArn == nil else { return }
        let row = ExecutionRecord.row(execution), document = ExecutionRecord.document(execution)
        let definition = try records.definitionID(execution.definitionText)
        // The events not yet written go in the row's transaction, before it: a row that records
        // the end is never on disk without the events leading there.
        var position: Int64?
        try execution.journal?.flush { _, at, events throws(SQLiteDatabase.Failure) in
            position = try database.putExecution(row, definition: definition, document: document, events: (at, events))
        }
        if position == nil { position = try database.putExecution(row, definition: definition, document: document) }
        if let position { execution.journal?.bind(database, position: position) }
        for run in mapRuns(of: execution.arn) { try database.put(.mapRuns, key: run.arn, document: StoredMapRun.document(run)) }
    }

    /// Writes a map run of a STANDARD execution (one the database keeps) through to the database.
    func persist(mapRun run: any MapRunDescription) {
        guard let database, let parent = execution(run.executionArn), !parent.express, parent.mapRunArn == nil else { return }
        // Like the journal, a map run's record cannot fail the run: a refused write leaves the
        // record as it last was.
        try? database.put(.mapRuns, key: run.arn, document: StoredMapRun.document(run))
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

    /// The execution `arn` names: one in memory, else one read from the database (and kept,
    /// so it stays one object however often it is asked for).
    func execution(_ arn: String) -> Execution? {
        if let execution = state.withLock({ $0.executions[arn] }) { return execution }
        guard let database, let row = try? database.executionRow(key: arn) else { return nil }
        return remembered(row)
    }

    /// The execution a stored row describes, made once: the one in memory when there is one.
    private func remembered(_ row: StateDatabase.ExecutionRow) -> Execution? {
        guard let records else { return nil }
        return state.withLock { s in
            if let known = s.executions[row.key] { return known }
            let made = Self.restored(row, records: records)
            s.executions[row.key] = made
            return made
        }
    }

    private static func restored(_ row: StateDatabase.ExecutionRow, records: ExecutionRecords) -> Execution? {
        guard let status = ExecutionStatus(rawValue: row.status) else { return nil }
        return Execution(restoring: (row.key, row.name, row.machineArn, status, row.startMillis, row.stopMillis), position: row.position, records: records)
    }

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

    /// What ListExecutions lists of a machine's executions, newest first: under `--data-dir`
    /// the database's rows (every STANDARD execution has one), each as the execution in memory
    /// says when it is there (a redriven one is RUNNING before its row says so); no execution
    /// is read for it.
    func listing(of machineArn: String) -> [StateDatabase.ExecutionRow] {
        guard let database, let rows = try? database.executionRows(machineArn: machineArn) else {
            return state.withLock { s in s.executionOrder.reversed().compactMap { s.executions[$0] }.filter { $0.machineArn == machineArn } }
                .map(ExecutionRecord.row)
        }
        let known = state.withLock { s in rows.map { s.executions[$0.key] } }
        return zip(rows, known).map { row, execution in execution.map(ExecutionRecord.row) ?? row }
    }

    /// Stored executions written before `position` that the store's order does not hold (those
    /// from before the last start, read from the database, never made into executions), newest
    /// first: up to `limit` of them, and the position to go on from when there may be more. An
    /// execution in memory is shown as it is there (it may have moved on since its row).
    func storedPage(
        before position: Int64, limit: Int, machineArn: String?, status: String?
    ) -> (rows: [StateDatabase.ExecutionRow], next: Int64?) {
        guard let database else { return ([], nil) }
        let (ordered, known) = state.withLock { s in (Set(s.executionOrder), s.executions) }
        var rows: [StateDatabase.ExecutionRow] = []
        var cursor = position
        while rows.count < limit {
            guard let chunk = try? database.executionRows(before: cursor, limit: limit + 1, machineArn: machineArn, status: status), !chunk.isEmpty else {
                return (rows, nil)
            }
            for row in chunk where !ordered.contains(row.key) {
                guard rows.count < limit else { return (rows, cursor) }
                rows.append(known[row.key].map { var shown = ExecutionRecord.row($0); shown.position = row.position; return shown } ?? row)
                cursor = row.position
            }
            if let last = chunk.last { cursor = min(cursor, last.position) }
            if chunk.count <= limit { return (rows, rows.count == limit ? cursor : nil) }
        }
        return (rows, cursor)
    }

    /// Every execution's ARN, oldest first, and the executions by ARN: both copied on write,
    /// so taking them costs two retains and the console pages through them outside the lock.
    func executionIndex() -> (order: [String], executions: [String: Execution]) {
        state.withLock { s in (s.executionOrder, s.executions) }
    }

    /// The newest executions for the admin view: those in memory, then stored ones before them.
    func recentExecutions(limit: Int) -> [Execution] {
        let (recent, order) = state.withLock { s in (Array(s.executionOrder.suffix(limit).reversed().compactMap { s.executions[$0] }), Set(s.executionOrder)) }
        guard let database, recent.count < limit, let rows = try? database.recentExecutionRows(limit: limit) else { return recent }
        return Array((recent + rows.filter { !order.contains($0.key) }.compactMap(remembered)).prefix(limit))
    }

    /// A resumed execution's replay starts its map run again under the same ARN: it takes the
    /// stored run's place, keeping its position.
    func addMapRun(_ run: MapRun) {
        state.withLock { s in
            if s.mapRuns.updateValue(run, forKey: run.arn) == nil { s.mapRunOrder.append(run.arn) }
        }
        persist(mapRun: run)
    }

    func mapRun(_ arn: String) -> (any MapRunDescription)? { state.withLock { $0.mapRuns[arn] } }

    /// The map runs an execution started, newest first.
    func mapRuns(of executionArn: String) -> [any MapRunDescription] {
        state.withLock { s in s.mapRunOrder.reversed().compactMap { s.mapRuns[$0] }.filter { $0.executionArn == executionArn } }
    }

    /// A map run's child executions, newest first.
    func executions(ofMapRun mapRunArn: String) -> [StateDatabase.ExecutionRow] {
        state.withLock { s in s.executionOrder.reversed().compactMap { s.executions[$0] }.filter { $0.mapRunArn == mapRunArn } }.map(ExecutionRecord.row)
    }

    /// Forgets everything, and stops every execution still running: nothing of the old state
    /// may go on calling tasks or writing results after a reset.
    public func reset() {
        let running = state.withLock { s -> [Execution] in
            let executions = Array(s.executions.values)
            s = State()
            try? database?.delete(all: .stateMachines)
            try? database?.deleteExecutions()
            records?.forget()
            return executions
        }
        for execution in running { execution.cancelRunner() }
    }

    /// The type (STANDARD or EXPRESS) of the machine a machine, version or alias ARN names.
    public func stateMachineType(of arn: String) -> String? { machine(StatesOperations.split(arn).base)?.type.rawValue }
}
