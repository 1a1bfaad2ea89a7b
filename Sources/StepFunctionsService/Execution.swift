import JSONCore
import Locking
import StatesEngine

extension StatesStore {
    /// One execution. Its identity, status and dates are always in memory (what a listing
    /// needs); the rest (`Details`) and its history are in memory for an execution started by
    /// this process, and read from the database when first asked for when it was read back at
    /// start-up, so start-up reads one row of columns per stored execution and nothing more.
    final class Execution: Sendable {
        let arn: String
        let name: String
        let machineArn: String
        let startMillis: Int64
        let express: Bool
        /// Set for a Distributed Map's child execution: the map run that started it.
        let mapRunArn: String?
        /// The mock configuration's test case it runs, with its counters.
        let mocks: MockedTestCase?
        /// Where its events are written as they are recorded, once the execution has a row in
        /// the database (a STANDARD execution under `--data-dir`).
        let journal: EventJournal?

        /// What describing an execution needs beyond a listing; a class, so an execution whose
        /// details are not read yet keeps a nil reference, not room for all of them.
        final class Details: Sendable {
            let machineName: String
            let input: String
            let definitionText: String
            let definition: StateMachineDefinition
            let roleArn: String
            /// The definition's revision when the execution started (empty for the first).
            let revisionId: String
            /// When started through a version or alias ARN.
            let versionArn: String?
            let aliasArn: String?
            /// A stored execution's end as it was written (output, error, cause).
            let end: (output: String?, error: String?, cause: String?)
            let redriveCount: Int

            init(
                machineName: String, input: String, definitionText: String, definition: StateMachineDefinition, roleArn: String, revisionId: String,
                versionArn: String?, aliasArn: String?, end: (output: String?, error: String?, cause: String?) = (nil, nil, nil), redriveCount: Int = 0
            ) {
                self.machineName = machineName
                self.input = input
                self.definitionText = definitionText
                self.definition = definition
                self.roleArn = roleArn
                self.revisionId = revisionId
                self.versionArn = versionArn
                self.aliasArn = aliasArn
                self.end = end
                self.redriveCount = redriveCount
            }
        }

        private struct Progress {
            var status: ExecutionStatus
            var output: String?
            var error: String?
            var cause: String?
            var stopMillis: Int64?
            /// The end was read back from the database: output, error and cause are in `Details`.
            var endStored = false
            var details: Details?
            var history: ExecutionHistory?
            /// RedriveExecution's bookkeeping; a stored execution's count is read with its details.
            var redrive: (count: Int, lastMillis: Int64?, resume: Interpreter.ResumePoint?) = (0, nil, nil)
            /// The task running the execution, cancelled by StopExecution and reset; held only
            /// while it runs. A finished task keeps its async frames' slabs until it is released
            /// (about 40 KB for one Pass state), so holding it for each of the 1,000 express
            /// executions kept for the admin view cost 40 MB.
            var runner: Task<Void, Never>?
        }

        /// One lock for all of it: 100,000 stored executions are 100,000 locks, not 300,000.
        private let progress: Locked<Progress>
        /// Reads a stored execution's details and history; nil for one this process started.
        private let stored: (records: ExecutionRecords, position: Int64)?

        init(
            arn: String, name: String, machine: Machine, input: String, startMillis: Int64, express: Bool, version: Machine.Version? = nil,
            aliasArn: String? = nil, mocks: MockedTestCase? = nil
        ) {
            self.mocks = mocks
            self.arn = arn
            self.name = name
            machineArn = machine.arn
            self.startMillis = startMillis
            journal = express ? nil : EventJournal()
            let details = Details(
                machineName: machine.name, input: input, definitionText: version?.definitionText ?? machine.definitionText,
                definition: version?.definition ?? machine.definition, roleArn: version?.roleArn ?? machine.roleArn,
                revisionId: version?.revisionId ?? machine.revisionId, versionArn: version.map { "\(machine.arn):\($0.number)" }, aliasArn: aliasArn)
            let history = ExecutionHistory(maximumEvents: express ? nil : ExecutionHistory.standardMaximumEvents, journal: journal)
            progress = Locked(Progress(status: .running, details: details, history: history))
            self.express = express
            mapRunArn = nil
            stored = nil
        }

        /// A Distributed Map's child execution, which runs inside its parent's execution.
        init(child: MapRunChild, of run: MapRun) {
            arn = child.arn
            name = child.name
            machineArn = run.stateMachineArn
            startMillis = child.startMillis
            let details = Details(
                machineName: run.stateMachineName, input: child.input, definitionText: JSONValue.object(child.definition.raw).jsonString,
                definition: child.definition, roleArn: child.roleArn, revisionId: "", versionArn: nil, aliasArn: nil)
            progress = Locked(Progress(status: .running, details: details, history: child.history))
            express = false
            mapRunArn = run.arn
            mocks = nil
            journal = nil
            stored = nil
        }

        /// An execution read back at start-up: its listing columns only.
        init(restoring row: (arn: String, name: String, machineArn: String, status: ExecutionStatus, startMillis: Int64, stopMillis: Int64?),
             position: Int64, records: ExecutionRecords) {
            arn = row.arn
            name = row.name
            machineArn = row.machineArn
            startMillis = row.startMillis
            express = false
            mapRunArn = nil
            mocks = nil
            // Only an execution that was running goes on recording events.
            journal = row.status == .running ? EventJournal(database: records.database, position: position) : nil
            stored = (records, position)
            progress = Locked(Progress(status: row.status, stopMillis: row.stopMillis, endStored: true))
        }

        /// The details, read from the database on first use for a stored execution and kept:
        /// only executions someone describes pay for them. A row that cannot be read (which
        /// start-up's columns said was there) answers empty details rather than trapping.
        var details: Details {
            if let details = progress.withLock({ $0.details }) { return details }
            let read = stored.flatMap { $0.records.details(at: $0.position) } ?? ExecutionRecords.unreadable
            return progress.withLock { p in
                if p.details == nil {
                    p.details = read
                    p.redrive.count = read.redriveCount
                }
                return p.details ?? read
            }
        }

        /// The history: a stored execution's is read from the events table each time it is asked
        /// for (a finished execution's history is not kept in memory), unless `keepHistory`
        /// loaded it to stay (an execution that was running, which resumes from it).
        var history: ExecutionHistory {
            if let history = progress.withLock({ $0.history }) { return history }
            return stored.map { $0.records.history(at: $0.position, journal: journal) } ?? ExecutionHistory()
        }

        /// Reads the details and history now and keeps them (an execution running at start-up).
        func keepHistory() {
            _ = details
            let history = history
            progress.withLock { $0.history = $0.history ?? history }
        }

        var machineName: String { details.machineName }
        var input: String { details.input }
        var definitionText: String { details.definitionText }
        var definition: StateMachineDefinition { details.definition }
        var roleArn: String { details.roleArn }
        var revisionId: String { details.revisionId }
        var versionArn: String? { details.versionArn }
        var aliasArn: String? { details.aliasArn }

        /// What a listing needs: no details read.
        var listing: (status: ExecutionStatus, stopMillis: Int64?) { progress.withLock { ($0.status, $0.stopMillis) } }

        var snapshot: (status: ExecutionStatus, output: String?, error: String?, cause: String?, stopMillis: Int64?) {
            let p = progress.withLock { $0 }
            guard p.endStored else { return (p.status, p.output, p.error, p.cause, p.stopMillis) }
            let end = details.end
            return (p.status, end.output, end.error, end.cause, p.stopMillis)
        }

        /// Starts `body` as the execution's runner and lets go of it when it ends. The task is
        /// made while the lock is held, so its own release cannot come before it is stored.
        func startRunner(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
            progress.withLock { p in
                let task = Task { [self] in
                    await body()
                    progress.withLock { $0.runner = nil }
                }
                p.runner = task
                return task
            }
        }

        func cancelRunner() { progress.withLock { $0.runner?.cancel() } }

        /// Returns when the execution has ended, or sooner when the caller is cancelled (a
        /// parent stopped while its `.sync` Task waits). It looks every few milliseconds: a
        /// parent waiting on a child is no hot path, and the wait stays cancellable.
        func waitUntilFinished() async {
            while listing.status == .running, !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 5_000_000)
            }
        }

        /// Whether a runner is held: only while it runs.
        var holdsRunner: Bool { progress.withLock { $0.runner != nil } }

        /// RedriveExecution's bookkeeping; a stored execution's count is read with its details.
        var redriveInfo: (count: Int, lastMillis: Int64?, resume: Interpreter.ResumePoint?) {
            if stored != nil { _ = details }
            return progress.withLock { $0.redrive }
        }
        func setResumePoint(_ point: Interpreter.ResumePoint?) { progress.withLock { $0.redrive.resume = point } }

        /// Back to RUNNING for a redrive; false when it cannot be redriven.
        func restart(at millis: Int64) -> Bool {
            progress.withLock { p -> Bool in
                guard p.status.endsRedrivably else { return false }
                (p.status, p.output, p.error, p.cause, p.stopMillis, p.endStored) = (.running, nil, nil, nil, nil, false)
                p.redrive.count += 1
                p.redrive.lastMillis = millis
                return true
            }
        }

        /// Records the end once; a stopped execution keeps its ABORTED status.
        /// True when this call ended it.
        @discardableResult
        func finish(status: ExecutionStatus, output: String?, error: String?, cause: String?, at millis: Int64) -> Bool {
            progress.withLock { p in
                guard p.status == .running else { return false }
                (p.status, p.output, p.error, p.cause, p.stopMillis, p.endStored) = (status, output, error, cause, millis, false)
                return true
            }
        }
    }
}
