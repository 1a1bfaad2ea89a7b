/// The control plane's state under `--data-dir`, in `understudy.db`: each record one JSON
/// document, by kind and key, in the order it was first written; executions also carry the
/// columns a listing needs, their definitions are kept once each, and their history events are
/// rows of their own (see `StateDatabase+Executions.swift`). Writes are synchronous and
/// committed before they return, so an operation answers only once what it changed is on disk.
///
/// The file records its schema version (`PRAGMA user_version`). A newer binary migrates an
/// older file, one step at a time; a file from a newer Understudy is refused with a message and
/// left untouched, as is a damaged one (see `SQLiteDatabase.init`).
public final class StateDatabase: Sendable {
    /// What kinds of record there are, each a table.
    public enum Kind: String, Sendable, CaseIterable {
        /// State machines with their versions, aliases and tags.
        case stateMachines = "state_machines"
        case activities
        /// STANDARD executions (EXPRESS ones AWS does not keep); their events are in
        /// `history_events`, their definitions in `definitions`.
        case executions
        /// Distributed Map runs of STANDARD executions, as DescribeMapRun answers them.
        case mapRuns = "map_runs"
        /// Bedrock batch inference jobs, written at each change of status or progress.
        case batchJobs = "batch_jobs"
        /// S3 buckets by name: owner, region, creation time.
        case buckets
        /// S3 objects by `<bucket>/<key>`: size, ETag, headers, checksum and the name of the
        /// body file beside them under `s3/<bucket>/objects/`. The row is an object's commit
        /// point (see `ObjectStore.DiskStore`).
        case objects
    }

    /// The schema this binary writes.
    public static let schemaVersion: Int64 = 5
    /// The file's name inside the data directory.
    public static let fileName = "understudy.db"

    public let database: SQLiteDatabase

    /// One migration per schema version, from the one before it; a version with none (one
    /// another branch numbered) is passed over.
    static let migrations: [Int64: String] = [
        1: [Kind.stateMachines, .activities].map(table).joined(separator: "\n"),
        2: table(.executions),
        3: executionsApart,
        4: table(.batchJobs),
        // Object and bucket descriptions were files beside the bodies until schema 5; the
        // object store moves them in at its first start on the new schema.
        5: table(.buckets) + "\n" + table(.objects),
    ]

    /// Schema 3: an execution's history events become rows written as they happen, its
    /// definition is kept once per distinct text, and the columns a listing needs sit beside
    /// its document, indexed by machine and (for the few running) by status, so start-up reads
    /// only the running ones and a listing reads one machine's rows. A version-2 file's
    /// documents are taken apart here, in SQL (SQLite's JSON functions), so an older database
    /// answers the same after the migration.
    static let executionsApart = """
        CREATE TABLE definitions (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
        CREATE TABLE history_events (execution INTEGER NOT NULL, id INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (execution, id)) WITHOUT ROWID;
        \(table(.mapRuns))
        ALTER TABLE executions ADD COLUMN name TEXT NOT NULL DEFAULT '';
        ALTER TABLE executions ADD COLUMN machine_arn TEXT NOT NULL DEFAULT '';
        ALTER TABLE executions ADD COLUMN status TEXT NOT NULL DEFAULT '';
        ALTER TABLE executions ADD COLUMN start INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE executions ADD COLUMN stop INTEGER;
        ALTER TABLE executions ADD COLUMN definition INTEGER;
        INSERT OR IGNORE INTO definitions (text) SELECT json_extract(document, '$.definition') FROM executions ORDER BY position;
        INSERT INTO history_events (execution, id, record)
            SELECT executions.position, json_extract(event.value, '$.id'), event.value FROM executions, json_each(executions.document, '$.history') AS event;
        UPDATE executions SET name = json_extract(document, '$.name'), machine_arn = json_extract(document, '$.machineArn'),
            status = json_extract(document, '$.status'), start = json_extract(document, '$.start'), stop = json_extract(document, '$.stop'),
            definition = (SELECT id FROM definitions WHERE text = json_extract(executions.document, '$.definition')),
            document = json_remove(document, '$.history', '$.definition');
        CREATE INDEX executions_by_machine ON executions (machine_arn, position);
        CREATE INDEX executions_running ON executions (position) WHERE status = 'RUNNING';
        """

    /// `position` is the rowid: the order of first writes, kept by updates, found without a scan.
    static func table(_ kind: Kind) -> String {
        "CREATE TABLE \(kind.rawValue) (position INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, document TEXT NOT NULL);"
    }

    /// Opens `<directory>/understudy.db`, creating or migrating it.
    public init(directory: String) throws(SQLiteDatabase.Failure) {
        database = try SQLiteDatabase(path: directory + "/" + Self.fileName)
        let found = try Self.integer(database.query("PRAGMA user_version"))
        guard found <= Self.schemaVersion else {
            throw SQLiteDatabase.Failure(
                description: "\(database.path) has schema version \(found), newer than this Understudy knows (\(Self.schemaVersion)); "
                    + "it was left untouched: run a newer Understudy, or move the file away to start with an empty one")
        }
        if found < Self.schemaVersion {
            try database.transaction { transaction throws(SQLiteDatabase.Failure) in
                for version in (found + 1)...Self.schemaVersion {
                    for statement in (Self.migrations[version] ?? "").split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                        try transaction.query(String(statement))
                    }
                }
                try transaction.query("PRAGMA user_version = \(Self.schemaVersion)")
            }
        }
    }

    /// Writes `document` for `key`, keeping the record's first position.
    public func put(_ kind: Kind, key: String, document: String) throws(SQLiteDatabase.Failure) {
        try database.query(Self.upsert(kind), [.text(key), .text(document)])
    }

    /// The statement `put` runs: a new key is added at the end, a known one keeps its position.
    static func upsert(_ kind: Kind) -> String {
        "INSERT INTO \(kind.rawValue) (key, document) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET document = excluded.document"
    }

    /// Writes every record in one transaction: all of them, or none.
    public func put(_ records: [(kind: Kind, key: String, document: String)]) throws(SQLiteDatabase.Failure) {
        try database.transaction { transaction throws(SQLiteDatabase.Failure) in
            for record in records { try transaction.query(Self.upsert(record.kind), [.text(record.key), .text(record.document)]) }
        }
    }

    /// Forgets the records of `kind` whose key starts with `prefix` (a range of the key's
    /// index, not a scan). `prefix` ends in `/`, which the range's end replaces with `0`, the
    /// next character.
    public func delete(_ kind: Kind, keysWithPrefix prefix: String) throws(SQLiteDatabase.Failure) {
        precondition(prefix.hasSuffix("/"), "a key prefix ends in /")
        try database.query("DELETE FROM \(kind.rawValue) WHERE key >= ? AND key < ?", [.text(prefix), .text(prefix.dropLast() + "0")])
    }

    public func delete(_ kind: Kind, key: String) throws(SQLiteDatabase.Failure) {
        try database.query("DELETE FROM \(kind.rawValue) WHERE key = ?", [.text(key)])
    }

    /// Every record of `kind`, in the order each was first written.
    public func all(_ kind: Kind) throws(SQLiteDatabase.Failure) -> [(key: String, document: String)] {
        try database.query("SELECT key, document FROM \(kind.rawValue) ORDER BY position").compactMap { row in
            guard row.count == 2, case .text(let key) = row[0], case .text(let document) = row[1] else { return nil }
            return (key, document)
        }
    }

    /// Forgets every record of `kind` (the admin reset of one part).
    public func delete(all kind: Kind) throws(SQLiteDatabase.Failure) {
        try database.query("DELETE FROM \(kind.rawValue)")
    }

    /// Forgets every record (the admin reset).
    public func clear() throws(SQLiteDatabase.Failure) {
        try database.transaction { transaction throws(SQLiteDatabase.Failure) in
            for table in Kind.allCases.map(\.rawValue) + Self.executionParts { try transaction.query("DELETE FROM \(table)") }
        }
    }

    static func integer(_ rows: [[SQLiteDatabase.Value]]) -> Int64 {
        if case .integer(let value)? = rows.first?.first { return value }
        return 0
    }
}
