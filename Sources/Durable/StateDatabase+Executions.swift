/// STANDARD executions as schema 3 keeps them: a row per execution with the columns a listing
/// needs (read at start-up, nothing more), its document (what describing needs beyond them)
/// and its definition's id; a row per history event, written as the event is recorded; each
/// distinct definition text once. An execution's `position` (its rowid) names it in the other
/// tables: an integer where its ARN would repeat in every event row.
extension StateDatabase {
    /// What start-up reads of each execution.
    public struct ExecutionRow: Sendable {
        public var position: Int64
        public var key: String
        public var name: String
        public var machineArn: String
        public var status: String
        public var startMillis: Int64
        public var stopMillis: Int64?

        public init(position: Int64 = 0, key: String, name: String, machineArn: String, status: String, startMillis: Int64, stopMillis: Int64?) {
            self.position = position
            self.key = key
            self.name = name
            self.machineArn = machineArn
            self.status = status
            self.startMillis = startMillis
            self.stopMillis = stopMillis
        }
    }

    /// The tables beside `Kind`'s that hold executions' parts, cleared with them.
    static let executionParts = ["history_events", "definitions"]

    /// Writes an execution's row (its first position kept) and answers that position, with
    /// `events` of it (at `position`, the row's) committed before it in the same transaction:
    /// an execution's end is never on disk without the events that led there.
    @discardableResult
    public func putExecution(
        _ row: ExecutionRow, definition: Int64, document: String, events: (position: Int64, list: [(id: Int, record: String)])? = nil
    ) throws(SQLiteDatabase.Failure) -> Int64 {
        let sql = """
            INSERT INTO executions (key, document, name, machine_arn, status, start, stop, definition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET document = excluded.document, status = excluded.status, stop = excluded.stop RETURNING position
            """
        let values: [SQLiteDatabase.Value] = [
            .text(row.key), .text(document), .text(row.name), .text(row.machineArn), .text(row.status), .integer(row.startMillis),
            row.stopMillis.map(SQLiteDatabase.Value.integer) ?? .null, .integer(definition),
        ]
        guard let events, !events.list.isEmpty else { return Self.integer(try database.query(sql, values)) }
        return try database.transaction { transaction throws(SQLiteDatabase.Failure) in
            try Self.insert(events.list, of: events.position, in: transaction)
            return Self.integer(try transaction.query(sql, values))
        }
    }

    /// The listing columns of the executions `clause` (SQL after FROM) picks, in its order.
    func executionRows(_ clause: String, _ values: [SQLiteDatabase.Value] = []) throws(SQLiteDatabase.Failure) -> [ExecutionRow] {
        let (width, flat) = try database.queryFlat("SELECT position, key, name, machine_arn, status, start, stop FROM executions " + clause, values)
        guard width == 7 else { return [] }
        return stride(from: 0, to: flat.count, by: 7).compactMap { row in
            guard case .integer(let position) = flat[row], case .text(let key) = flat[row + 1], case .text(let name) = flat[row + 2],
                case .text(let machine) = flat[row + 3], case .text(let status) = flat[row + 4], case .integer(let start) = flat[row + 5]
            else { return nil }
            let stop: Int64? = if case .integer(let millis) = flat[row + 6] { millis } else { nil }
            return ExecutionRow(position: position, key: key, name: name, machineArn: machine, status: status, startMillis: start, stopMillis: stop)
        }
    }

    /// Every execution, in the order first written.
    public func executionRows() throws(SQLiteDatabase.Failure) -> [ExecutionRow] { try executionRows("ORDER BY position") }

    public func executionRow(key: String) throws(SQLiteDatabase.Failure) -> ExecutionRow? { try executionRows("WHERE key = ?", [.text(key)]).first }

    /// One machine's executions, newest first (through `executions_by_machine`).
    public func executionRows(machineArn: String) throws(SQLiteDatabase.Failure) -> [ExecutionRow] {
        try executionRows("WHERE machine_arn = ? ORDER BY position DESC", [.text(machineArn)])
    }

    /// The `limit` executions written first most recently, newest first.
    public func recentExecutionRows(limit: Int) throws(SQLiteDatabase.Failure) -> [ExecutionRow] {
        try executionRows("ORDER BY position DESC LIMIT ?", [.integer(Int64(limit))])
    }

    /// Up to `limit` executions written before `position`, newest first, of one machine and one
    /// status when given: a page of the console's listing, found through the rowid.
    public func executionRows(before position: Int64, limit: Int, machineArn: String?, status: String?) throws(SQLiteDatabase.Failure) -> [ExecutionRow] {
        var clause = "WHERE position < ?"
        var values: [SQLiteDatabase.Value] = [.integer(position)]
        if let machineArn {
            clause += " AND machine_arn = ?"
            values.append(.text(machineArn))
        }
        if let status {
            clause += " AND status = ?"
            values.append(.text(status))
        }
        return try executionRows(clause + " ORDER BY position DESC LIMIT ?", values + [.integer(Int64(limit))])
    }

    /// The executions still RUNNING (through the partial index `executions_running`): at
    /// start-up, the ones the server stopped under.
    public func runningExecutionRows() throws(SQLiteDatabase.Failure) -> [ExecutionRow] {
        try executionRows("WHERE status = 'RUNNING' ORDER BY position")
    }

    /// The document and definition id of the execution at `position`.
    public func execution(at position: Int64) throws(SQLiteDatabase.Failure) -> (document: String, definition: Int64)? {
        let rows = try database.query("SELECT document, definition FROM executions WHERE position = ?", [.integer(position)])
        guard let row = rows.first, row.count == 2, case .text(let document) = row[0], case .integer(let definition) = row[1] else { return nil }
        return (document, definition)
    }

    /// The id of `text` in the definitions table, added when it is new.
    public func definitionID(_ text: String) throws(SQLiteDatabase.Failure) -> Int64 {
        // The no-op update makes RETURNING answer for a text already there.
        Self.integer(
            try database.query("INSERT INTO definitions (text) VALUES (?) ON CONFLICT(text) DO UPDATE SET text = text RETURNING id", [.text(text)]))
    }

    public func definition(_ id: Int64) throws(SQLiteDatabase.Failure) -> String? {
        if case .text(let text)? = try database.query("SELECT text FROM definitions WHERE id = ?", [.integer(id)]).first?.first { return text }
        return nil
    }

    /// Adds history events of the execution at `position`, committed together when it returns.
    public func appendEvents(execution position: Int64, _ events: [(id: Int, record: String)]) throws(SQLiteDatabase.Failure) {
        try database.transaction { transaction throws(SQLiteDatabase.Failure) in try Self.insert(events, of: position, in: transaction) }
    }

    static func insert(_ events: [(id: Int, record: String)], of position: Int64, in transaction: SQLiteDatabase.Transaction) throws(SQLiteDatabase.Failure) {
        for event in events {
            try transaction.query(
                "INSERT INTO history_events (execution, id, record) VALUES (?, ?, ?)", [.integer(position), .integer(Int64(event.id)), .text(event.record)])
        }
    }

    /// The history events of the execution at `position`, in id order.
    public func events(execution position: Int64) throws(SQLiteDatabase.Failure) -> [String] {
        try database.query("SELECT record FROM history_events WHERE execution = ? ORDER BY id", [.integer(position)]).compactMap { row in
            if case .text(let record)? = row.first { return record }
            return nil
        }
    }

    /// Forgets every execution with its events, its definitions and its map runs (the reset).
    public func deleteExecutions() throws(SQLiteDatabase.Failure) {
        try database.transaction { transaction throws(SQLiteDatabase.Failure) in
            for table in [Kind.executions.rawValue, Kind.mapRuns.rawValue] + Self.executionParts { try transaction.query("DELETE FROM \(table)") }
        }
    }
}
