import Determinism
import JSONCore

/// Map in DISTRIBUTED mode: items from an ItemReader (S3 through the task invoker) or the
/// input, optionally batched (ItemBatcher), each item or batch run as a child execution of a
/// map run, results returned or written to S3 by a ResultWriter. Child executions keep their
/// own histories; the parent sees MapRunStarted and MapRunSucceeded/Failed, as in AWS.
extension Run {
    static func isDistributed(_ state: StateDefinition) -> Bool {
        state["ItemReader"] != nil || state["ItemProcessor"]?["ProcessorConfig"]?["Mode"]?.stringValue == "DISTRIBUTED"
    }

    func taskContext(_ state: StateDefinition) -> TaskContext {
        TaskContext(stateName: state.name, executionArn: info.arn, region: info.region, account: info.account, stateMachine: info.stateMachineName)
    }

    /// The items: read by the ItemReader's resource with its resolved Parameters (Arguments)
    /// and ReaderConfig, else the state's items; cut to MaxItems.
    func distributedItems(_ state: StateDefinition, input: JSONValue, reader fields: MapFieldReader) async throws(StatesError) -> [JSONValue] {
        guard let reader = state["ItemReader"] else { return try mapItems(state, input: input, fields) }
        guard let resource = reader["Resource"]?.stringValue else { throw StatesError.runtime("The ItemReader needs a Resource") }
        var parameters = (try mapArguments(of: reader, fields, field: "ItemReader"))?.objectValue ?? JSONObject()
        var maxItems: Int?
        if let config = reader["ReaderConfig"] {
            parameters["ReaderConfig"] = config
            if let value = try mapNumber("MaxItems", in: config, fields) {
                guard let n = value.intValue, n >= 0 else { throw StatesError.runtime("The MaxItems value must be a non-negative integer: \(value.jsonString)") }
                maxItems = n
            }
        }
        let read: JSONValue
        do {
            read = try await interpreter.tasks.invoke(resource: resource, parameters: .object(parameters), context: taskContext(state))
        } catch {
            throw StatesError(.itemReaderFailed, error.cause ?? error.error)
        }
        guard case .array(var items) = read else { throw StatesError(.itemReaderFailed, "The ItemReader did not produce a JSON array") }
        if let maxItems, maxItems > 0, items.count > maxItems { items = Array(items.prefix(maxItems)) }
        return items
    }

    /// ItemSelector per item, then ItemBatcher: `{"BatchInput": …, "Items": […]}` per batch.
    func childInputs(_ state: StateDefinition, items: [JSONValue], input: JSONValue, reader fields: MapFieldReader) throws(StatesError) -> [(JSONValue, (Int, JSONValue))] {
        var selected: [(JSONValue, (Int, JSONValue))] = []
        selected.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            selected.append((try mapSelect(state, index: index, item: item, input: input, fields), (index, item)))
        }
        guard let batcher = state["ItemBatcher"] else { return selected }
        func limit(_ name: String) throws(StatesError) -> Int? {
            guard let value = try mapNumber(name, in: batcher, fields) else { return nil }
            guard let n = value.intValue, n > 0 else { throw StatesError.runtime("The \(name) value must be a positive integer: \(value.jsonString)") }
            return n
        }
        let maxItems = try limit("MaxItemsPerBatch")
        let maxBytes = try limit("MaxInputBytesPerBatch")
        let batchInput = try mapTemplate(batcher["BatchInput"], fields, field: "BatchInput")
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
            if let maxBytes, !current.isEmpty, bytes + size > maxBytes { flush() }
            current.append(value)
            bytes += size
            if let maxItems, current.count >= maxItems { flush() }
        }
        flush()
        return batches
    }

    func distributedMap(_ state: StateDefinition, processor: StateMachineDefinition, input: JSONValue, reader: MapFieldReader, lane: HistoryLane) async throws(StatesError) -> JSONValue {
        let items = try await distributedItems(state, input: input, reader: reader)
        let children = try childInputs(state, items: items, input: input, reader: reader)
        let tolerance = try mapTolerance(state, reader)
        let maxConcurrency = try mapMaxConcurrency(state, reader)
        var uuidSource = SeededRandom(seed: nextRandom())
        let runId = uuidSource.uuidV4()
        let label = state["Label"]?.stringValue ?? state.name
        let run = MapRun(
            arn: "arn:aws:states:\(info.region):\(info.account):mapRun:\(info.stateMachineName)/\(label):\(runId)", parent: info, label: label,
            startMillis: interpreter.clock.nowMillis(), items: items.count, executions: children.count, maxConcurrency: maxConcurrency, tolerance: tolerance)
        interpreter.mapRuns?.mapRunStarted(run)
        lane.add("MapRunStarted", ("mapRunStartedEventDetails", ["mapRunArn": .string(run.arn)]))
        let writerConfig = (try? ResultWriterConfig(writer: state["ResultWriter"], path: "")) ?? .noWriter
        var finished: [ResultWriterConfig.Child] = []
        var failures = 0
        for (childInput, item) in children {
            let itemCount = Self.itemCount(of: item.1, batched: state["ItemBatcher"] != nil)
            let childArn = "arn:aws:states:\(info.region):\(info.account):execution:\(info.stateMachineName)/\(label):\(runId):\(uuidSource.uuidV4())"
            let child = MapRunChild(
                arn: childArn, name: String(childArn.split(separator: ":").last ?? ""), input: childInput.jsonString, roleArn: info.roleArn,
                startMillis: interpreter.clock.nowMillis(), history: ExecutionHistory(), definition: processor)
            run.move(items: itemCount, from: \.pending, to: \.running)
            let outcome = await runChild(child, of: run, input: childInput, item: item)
            let stopped = interpreter.clock.nowMillis()
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
                run.move(items: itemCount, from: \.running, to: \.succeeded)
                entry["Output"] = .string(result.jsonString)
                entry["OutputDetails"] = ["Included": true]
                output = result
                status = .succeeded
            case .aborted(let error):
                run.move(items: itemCount, from: \.running, to: \.aborted)
                run.end(.aborted, at: stopped)
                throw error
            case .failed(let error):
                run.move(items: itemCount, from: \.running, to: \.failed)
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
                if run.exceedsTolerance(failed: failures) {
                    run.end(.failed, at: stopped)
                    lane.add("MapRunFailed", ("mapRunFailedEventDetails", ["error": .string(StatesErrorName.exceedToleratedFailureThreshold.rawValue), "cause": "The specified tolerated failure threshold was exceeded"]))
                    throw StatesError(.exceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded")
                }
            }
        }
        let result: JSONValue
        if writerConfig.exports, let writer = state["ResultWriter"] {
            let succeeded = finished.filter(\.succeeded)
            do throws(StatesError) {
                result = try await writeResults(
                    writer, config: writerConfig, state: state, reader: reader, mapRunArn: run.arn, runId: runId,
                    succeeded: writerConfig.shape(succeeded),
                    failed: finished.filter { !$0.succeeded }.map(\.record))
            } catch {
                run.end(.failed, at: interpreter.clock.nowMillis())
                throw error
            }
        } else {
            // Without an export, WriterConfig shapes the state's output (failed children keep
            // their Error and Cause whatever the transformation).
            result = .array(writerConfig.shape(finished))
        }
        run.end(.succeeded, at: interpreter.clock.nowMillis(), resultsWritten: writerConfig.exports)
        lane.add("MapRunSucceeded")
        return result
    }

    /// Runs one child as an execution of its own: its own history from ExecutionStarted, its
    /// own `$$.Execution` and `$$.StateMachine`, random stream and variables (none of the
    /// parent's), under the parent's deadline.
    private enum ChildOutcome {
        case succeeded(JSONValue)
        case failed(StatesError)
        /// Stopped with its parent (StopExecution, or the parent's deadline).
        case aborted(StatesError)
    }

    private func runChild(_ child: MapRunChild, of run: MapRun, input: JSONValue, item: (Int, JSONValue)) async -> ChildOutcome {
        let lane = HistoryLane(history: child.history, clock: interpreter.clock, last: 0)
        lane.executionStarted(input: input, roleArn: child.roleArn)
        interpreter.mapRuns?.childStarted(child, of: run)
        let childInfo = ExecutionInfo(
            arn: child.arn, name: child.name, stateMachineArn: run.stateMachineArn, stateMachineName: run.stateMachineName, roleArn: child.roleArn,
            startMillis: child.startMillis, region: info.region, account: info.account)
        var childInterpreter = Interpreter(info: childInfo, clock: interpreter.clock, tasks: interpreter.tasks, history: child.history, seed: interpreter.seed)
        childInterpreter.callbacks = interpreter.callbacks
        let execution = Run(interpreter: childInterpreter, rawInput: input)
        execution.deadline = deadline
        do throws(StatesError) {
            let output = try await execution.execute(child.definition, input: input, lane: lane, mapItem: item)
            lane.executionSucceeded(output: output)
            interpreter.mapRuns?.childFinished(arn: child.arn, status: .succeeded, output: output.jsonString, error: nil, cause: nil, at: interpreter.clock.nowMillis())
            return .succeeded(output)
        } catch {
            // The parent's deadline passed inside the child: the parent times out.
            if execution.timedOut { timedOut = true }
            let aborted = error.is(.aborted) || timedOut
            lane.executionEnded(aborted ? "ExecutionAborted" : "ExecutionFailed", error)
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

    /// ResultWriter: `<Prefix>/<map run id>/SUCCEEDED_0.json`, `FAILED_0.json`,
    /// `PENDING_0.json` (`.jsonl` for JSONL output) and `manifest.json`, through the writer's
    /// resource (`s3:putObject`). Succeeded entries come already shaped by the WriterConfig;
    /// failed ones always keep their full record.
    func writeResults(
        _ writer: JSONValue, config: ResultWriterConfig, state: StateDefinition, reader: MapFieldReader, mapRunArn: String, runId: String, succeeded: [JSONValue],
        failed: [JSONValue]
    ) async throws(StatesError) -> JSONValue {
        let resource = writer["Resource"]?.stringValue ?? "arn:aws:states:::s3:putObject"
        let parameters = try mapArguments(of: writer, reader, field: "ResultWriter") ?? [:]
        guard let bucket = parameters["Bucket"]?.stringValue else { throw StatesError.runtime("The ResultWriter needs a Bucket") }
        var prefix = parameters["Prefix"]?.stringValue ?? ""
        if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
        let base = prefix + runId + "/"
        func put(_ key: String, _ bytes: String) async throws(StatesError) -> Int {
            do {
                _ = try await interpreter.tasks.invoke(
                    resource: resource, parameters: ["Bucket": .string(bucket), "Key": .string(key), "Body": .string(bytes)], context: taskContext(state))
            } catch {
                throw StatesError(.resultWriterFailed, error.cause ?? error.error)
            }
            return bytes.utf8.count
        }
        var files = JSONObject()
        for (status, entries) in [(ExecutionStatus.failed.rawValue, failed), ("PENDING", [JSONValue]()), (ExecutionStatus.succeeded.rawValue, succeeded)] {
            guard !entries.isEmpty else {
                files[status] = []
                continue
            }
            let (body, suffix) = config.encode(entries)
            let key = base + "\(status)_0" + suffix
            let size = try await put(key, body)
            files[status] = [["Key": .string(key), "Size": JSONValue(size)]]
        }
        let manifest: JSONValue = ["DestinationBucket": .string(bucket), "MapRunArn": .string(mapRunArn), "ResultFiles": .object(files)]
        _ = try await put(base + "manifest.json", manifest.jsonString)
        return ["MapRunArn": .string(mapRunArn), "ResultWriterDetails": ["Bucket": .string(bucket), "Key": .string(base + "manifest.json")]]
    }
}
