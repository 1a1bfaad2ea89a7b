import Determinism
import JSONCore

/// A Map in DISTRIBUTED mode: items from an ItemReader (S3 through the task invoker) or the
/// input, optionally batched (ItemBatcher), each item or batch run as a child execution of a
/// map run, results returned or written to S3 by a ResultWriter. Child executions keep their
/// own histories; the parent sees MapRunStarted and MapRunSucceeded/Failed, as in AWS.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
struct DistributedMapRunner {
    let run: Run
    let state: StateDefinition
    let map: MapState
    let processor: StateMachineDefinition
    let lane: HistoryLane
    let reader: MapFieldReader

    private var info: ExecutionInfo { run.info }

    var taskContext: TaskContext {
        TaskContext(stateName: state.name, executionArn: info.arn, region: info.region, account: info.account, stateMachine: info.stateMachineName)
    }

    /// The items: read by the ItemReader's resource with its resolved Parameters (Arguments)
    /// and ReaderConfig, else the state's items; cut to MaxItems.
    func items(input: JSONValue) async throws(StatesError) -> [JSONValue] {
        guard let itemReader = map.itemReader else { return try reader.items(map, input: input) }
        guard let resource = itemReader.resource else { throw StatesError.runtime("The ItemReader needs a Resource") }
        var parameters = (try reader.template(itemReader.parameters, field: "ItemReader"))?.objectValue ?? JSONObject()
        var maxItems: Int?
        if let config = itemReader.readerConfig {
            parameters["ReaderConfig"] = config
            if let value = try reader.number(itemReader.maxItems, field: "MaxItems") {
                guard let n = value.intValue, n >= 0 else { throw StatesError.runtime("The MaxItems value must be a non-negative integer: \(value.jsonString)") }
                maxItems = n
            }
        }
        let read: JSONValue
        do {
            read = try await run.interpreter.tasks.invoke(resource: resource, parameters: .object(parameters), context: taskContext)
        } catch {
            throw StatesError(.itemReaderFailed, error.cause ?? error.error)
        }
        guard case .array(var items) = read else { throw StatesError(.itemReaderFailed, "The ItemReader did not produce a JSON array") }
        if let maxItems, maxItems > 0, items.count > maxItems { items = Array(items.prefix(maxItems)) }
        return items
    }

    /// ItemSelector per item, then ItemBatcher: `{"BatchInput": …, "Items": […]}` per batch.
    func childInputs(items: [JSONValue]) throws(StatesError) -> [(JSONValue, (Int, JSONValue))] {
        var selected: [(JSONValue, (Int, JSONValue))] = []
        selected.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            selected.append((try reader.select(map, index: index, item: item, inline: false), (index, item)))
        }
        guard let batcher = map.itemBatcher else { return selected }
        func limit(_ source: SettingSource?, _ name: String) throws(StatesError) -> Int? {
            guard let value = try reader.number(source, field: name) else { return nil }
            guard let n = value.intValue, n > 0 else { throw StatesError.runtime("The \(name) value must be a positive integer: \(value.jsonString)") }
            return n
        }
        let maxItems = try limit(batcher.maxItemsPerBatch, "MaxItemsPerBatch")
        let maxBytes = try limit(batcher.maxInputBytesPerBatch, "MaxInputBytesPerBatch")
        let batchInput = try reader.template(batcher.batchInput, field: "BatchInput")
        var batches: [(JSONValue, (Int, JSONValue))] = []
        var current: [JSONValue] = []
        var bytes = 0
        func flush() {
            guard !current.isEmpty else { return }
            var batch = JSONObject()
            if let batchInput { batch["BatchInput"] = batchInput }
            batch["Items"] = .array(current)
            batches.append((.object(batch), (batches.count, .array(current))))
            current = []
            bytes = 0
        }
        for (value, _) in selected {
            let size = value.jsonBytes.count
            if let maxBytes, !current.isEmpty, size > maxBytes - bytes { flush() }
            current.append(value)
            bytes += size
            if let maxItems, current.count >= maxItems { flush() }
        }
        flush()
        return batches
    }

    func run(input: JSONValue) async throws(StatesError) -> JSONValue {
        let items = try await items(input: input)
        let children = try childInputs(items: items)
        let tolerance = try reader.tolerance(map)
        let maxConcurrency = try reader.maxConcurrency(map)
        var uuidSource = SeededRandom(seed: run.nextRandom())
        let runId = uuidSource.uuidV4()
        let label = map.label ?? state.name
        let clock = run.clock
        let mapRun = MapRun(
            arn: "arn:aws:states:\(info.region):\(info.account):mapRun:\(info.stateMachineName)/\(label):\(runId)", parent: info, label: label,
            startMillis: clock.nowMillis(), items: items.count, executions: children.count, maxConcurrency: maxConcurrency, tolerance: tolerance)
        run.interpreter.mapRuns?.mapRunStarted(mapRun)
        lane.add(.mapRunStarted, ["mapRunArn": .string(mapRun.arn)])
        let writerConfig = map.resultWriter?.config ?? .noWriter
        var finished: [ResultWriterConfig.Child] = []
        var failures = 0
        for (index, (childInput, item)) in children.enumerated() {
            // Children of one state each never reach MachineRunner's yield: let other work run.
            if index > 0, index % MachineRunner.statesBetweenYields == 0 { await Task.yield() }
            let itemCount = Self.itemCount(of: item.1, batched: map.itemBatcher != nil)
            let childArn = "arn:aws:states:\(info.region):\(info.account):execution:\(info.stateMachineName)/\(label):\(runId):\(uuidSource.uuidV4())"
            let child = MapRunChild(
                arn: childArn, name: String(childArn.split(separator: ":").last ?? ""), input: childInput.jsonString, roleArn: info.roleArn,
                startMillis: clock.nowMillis(), history: ExecutionHistory(), definition: processor)
            mapRun.move(items: itemCount, from: \.pending, to: \.running)
            let outcome = await runChild(child, of: mapRun, input: childInput, item: item)
            let stopped = clock.nowMillis()
            // The ResultWriter's record of the child, as AWS writes it.
            var entry = JSONObject()
            entry["ExecutionArn"] = .string(childArn)
            entry["Input"] = .string(child.input)
            entry["InputDetails"] = ["Included": true]
            entry["Name"] = .string(child.name)
            let status: ExecutionStatus
            let output: JSONValue
            switch outcome {
            case .succeeded(let result):
                mapRun.move(items: itemCount, from: \.running, to: \.succeeded)
                entry["Output"] = .string(result.jsonString)
                entry["OutputDetails"] = ["Included": true]
                output = result
                status = .succeeded
            case .aborted(let error):
                mapRun.move(items: itemCount, from: \.running, to: \.aborted)
                mapRun.end(.aborted, at: stopped)
                throw error
            case .failed(let error):
                mapRun.move(items: itemCount, from: \.running, to: \.failed)
                entry["Error"] = .string(error.error)
                entry["Cause"] = .string(error.cause ?? "")
                output = ["Error": .string(error.error), "Cause": .string(error.cause ?? "")]
                status = .failed
            }
            entry["StartDate"] = .string(StatesTimestamp.format(millis: child.startMillis))
            entry["StateMachineArn"] = .string(info.stateMachineArn)
            entry["Status"] = .string(status.rawValue)
            entry["StopDate"] = .string(StatesTimestamp.format(millis: stopped))
            let succeeded = status == .succeeded
            finished.append(ResultWriterConfig.Child(record: .object(entry), output: output, succeeded: succeeded))
            if !succeeded {
                failures += 1
                if mapRun.exceedsTolerance(failed: failures) {
                    mapRun.end(.failed, at: stopped)
                    lane.add(.mapRunFailed, ["error": .string(StatesErrorName.exceedToleratedFailureThreshold.rawValue), "cause": .string(InlineMapRunner.toleranceExceeded)])
                    throw StatesError(.exceedToleratedFailureThreshold, InlineMapRunner.toleranceExceeded)
                }
            }
        }
        let result: JSONValue
        if writerConfig.exports, let writer = map.resultWriter {
            let succeeded = finished.filter(\.succeeded)
            do throws(StatesError) {
                let export = ResultExport(run: run, writer: writer, reader: reader, context: taskContext, mapRunArn: mapRun.arn, runId: runId)
                result = try await export.write(succeeded: writerConfig.shape(succeeded), failed: finished.filter { !$0.succeeded }.map(\.record))
            } catch {
                mapRun.end(.failed, at: clock.nowMillis())
                throw error
            }
        } else {
            // Without an export, WriterConfig shapes the state's output (failed children keep
            // their Error and Cause whatever the transformation).
            result = .array(writerConfig.shape(finished))
        }
        mapRun.end(.succeeded, at: clock.nowMillis(), resultsWritten: writerConfig.exports)
        lane.add(.mapRunSucceeded)
        return result
    }

    /// How one child execution ended.
    private enum ChildOutcome {
        case succeeded(JSONValue)
        case failed(StatesError)
        /// Stopped with its parent (StopExecution, or the parent's deadline).
        case aborted(StatesError)
    }

    /// Runs one child as an execution of its own: its own history from ExecutionStarted, its
    /// own `$$.Execution` and `$$.StateMachine`, random stream and variables (none of the
    /// parent's), under the parent's deadline.
    private func runChild(_ child: MapRunChild, of mapRun: MapRun, input: JSONValue, item: (Int, JSONValue)) async -> ChildOutcome {
        let interpreter = run.interpreter
        let lane = HistoryLane(history: child.history, clock: interpreter.clock, last: 0)
        lane.executionStarted(input: input, roleArn: child.roleArn)
        interpreter.mapRuns?.childStarted(child, of: mapRun)
        let childInfo = ExecutionInfo(
            arn: child.arn, name: child.name, stateMachineArn: mapRun.stateMachineArn, stateMachineName: mapRun.stateMachineName, roleArn: child.roleArn,
            startMillis: child.startMillis, region: info.region, account: info.account)
        var childInterpreter = Interpreter(info: childInfo, clock: interpreter.clock, tasks: interpreter.tasks, history: child.history, seed: interpreter.seed)
        childInterpreter.callbacks = interpreter.callbacks
        childInterpreter.mocks = interpreter.mocks
        let execution = Run(interpreter: childInterpreter, rawInput: input)
        execution.deadline = run.deadline
        do throws(StatesError) {
            let output = try await MachineRunner(run: execution).execute(child.definition, input: input, lane: lane, mapItem: item)
            lane.executionSucceeded(output: output)
            interpreter.mapRuns?.childFinished(arn: child.arn, status: .succeeded, output: output.jsonString, error: nil, cause: nil, at: interpreter.clock.nowMillis())
            return .succeeded(output)
        } catch {
            // The parent's deadline passed inside the child: the parent times out.
            if execution.timedOut { run.timedOut = true }
            let aborted = error.is(.aborted) || run.timedOut
            lane.executionEnded(aborted ? .executionAborted : .executionFailed, error)
            interpreter.mapRuns?.childFinished(
                arn: child.arn, status: aborted ? .aborted : .failed, output: nil, error: error.error, cause: error.cause, at: interpreter.clock.nowMillis())
            return aborted ? .aborted(error) : .failed(error)
        }
    }

    /// How many items one child execution processes: one, or a batch's `Items`.
    private static func itemCount(of item: JSONValue, batched: Bool) -> Int {
        guard batched, case .array(let batch) = item else { return 1 }
        return batch.count
    }
}
