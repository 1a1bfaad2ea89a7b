import CSQLite
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One SQLite database file, used from any thread: every call runs under one lock on one
/// connection (the control plane's writes are small and few; a second connection would buy
/// nothing but contention). WAL journal, `synchronous=NORMAL`: a committed transaction
/// survives the process being killed (`kill -9`), which is the durability this product
/// promises; power loss may lose the last transactions, never corrupt the file.
/// https://www.sqlite.org/wal.html, https://www.sqlite.org/pragma.html#pragma_synchronous
public final class SQLiteDatabase: Sendable {
    public let path: String
    /// The connection, only ever touched under the lock.
    private let connection: Locked<Connection>

    /// An open `sqlite3*`, reached only through the lock above (`Locked` takes it `sending`),
    /// with its statements prepared once each: an execution's events are the same INSERT again
    /// and again, and preparing it each time cost as much as running it.
    final class Connection {
        let handle: OpaquePointer
        var statements: [String: OpaquePointer] = [:]
        init(_ handle: OpaquePointer) { self.handle = handle }
        deinit {
            for statement in statements.values { sqlite3_finalize(statement) }
            sqlite3_close_v2(handle)
        }
    }

    /// Why a database cannot be used, naming the file.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// A value bound to a `?` or read from a column.
    public enum Value: Sendable, Equatable {
        case integer(Int64)
        case text(String)
        case null
    }

    /// Opens (or creates) the database at `path` and checks that it is one: a file that is not
    /// a SQLite database, or a damaged one, is refused, never replaced.
    public init(path: String) throws(Failure) {
        self.path = path
        var handle: OpaquePointer?
        // No mutex of SQLite's own: the lock above already serializes every call, and SQLite's
        // would be taken again for each column read (1.4 million times to list 100,000 rows).
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw Failure(description: "cannot open the database \(path)")
        }
        connection = Locked(Connection(handle))
        do throws(Failure) {
            // A new file's pages are 1 KiB rather than 4: every commit writes each page it
            // changes to the log whole, and an execution's commits (its row, one event each)
            // change a few small rows each. It applies only to a file not yet written.
            try execute("PRAGMA page_size=1024")
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=NORMAL")
            // Under NORMAL only a checkpoint flushes to disk. SQLite's default checkpoints
            // every 1,000 pages (4 MB of log), which a STANDARD execution's six commits (its row
            // twice, an event each) filled every 60 or so executions; flushing a fraction as
            // often makes StartExecution under --data-dir about twice as fast. The log file
            // grows to 32 MB before it is folded back.
            try execute("PRAGMA wal_autocheckpoint=8192")
            try execute("PRAGMA foreign_keys=ON")
            // Reading the schema refuses a file that is no database or whose first pages are
            // damaged. A full `PRAGMA quick_check` read every page (180 ms of a 200 ms start-up
            // budget at 100,000 executions); damage further in is reported by the read that
            // meets it, and start-up reads every row it keeps in memory.
            try query("SELECT COUNT(*) FROM sqlite_schema")
        } catch {
            throw Failure(
                description: "\(path) is not a usable Understudy database (\(error.description)); it was left untouched: "
                    + "move it away to start with an empty one")
        }
    }

    /// Runs statements that take no values (`;`-separated).
    public func execute(_ sql: String) throws(Failure) {
        try connection.withLock { connection throws(Failure) in
            var message: UnsafeMutablePointer<CChar>?
            guard sqlite3_exec(connection.handle, sql, nil, nil, &message) == SQLITE_OK else {
                let text = message.map { String(cString: $0) } ?? Self.error(connection.handle)
                sqlite3_free(message)
                throw Failure(description: text)
            }
        }
    }

    /// Runs one statement with `values` bound to its `?`s and answers its rows.
    @discardableResult
    public func query(_ sql: String, _ values: [Value] = []) throws(Failure) -> [[Value]] {
        try connection.withLock { connection throws(Failure) in try Self.run(connection, sql, values) }
    }

    /// Runs one statement and answers its rows' values one after another, row by row, with no
    /// array per row: how start-up reads a table of 100,000 rows.
    public func queryFlat(_ sql: String, _ values: [Value] = []) throws(Failure) -> (width: Int, values: [Value]) {
        try connection.withLock { connection throws(Failure) in try Self.runFlat(connection, sql, values) }
    }

    /// Runs `body` in one transaction (all or nothing): its statements commit together when
    /// it returns, and roll back when it throws.
    public func transaction<Result>(_ body: (Transaction) throws(Failure) -> Result) throws(Failure) -> Result {
        try connection.withLock { connection throws(Failure) in
            try Self.run(connection, "BEGIN IMMEDIATE", [])
            do throws(Failure) {
                let result = try body(Transaction(connection: connection))
                try Self.run(connection, "COMMIT", [])
                return result
            } catch {
                _ = try? Self.run(connection, "ROLLBACK", [])
                throw error
            }
        }
    }

    /// Statements inside `transaction`.
    public struct Transaction {
        let connection: Connection

        @discardableResult
        public func query(_ sql: String, _ values: [Value] = []) throws(Failure) -> [[Value]] {
            try SQLiteDatabase.run(connection, sql, values)
        }
    }

    @discardableResult
    static func run(_ connection: Connection, _ sql: String, _ values: [Value]) throws(Failure) -> [[Value]] {
        let (width, flat) = try runFlat(connection, sql, values)
        guard width > 0 else { return [] }
        return stride(from: 0, to: flat.count, by: width).map { Array(flat[$0..<($0 + width)]) }
    }

    static func runFlat(_ connection: Connection, _ sql: String, _ values: [Value]) throws(Failure) -> (width: Int, values: [Value]) {
        let handle = connection.handle
        let statement: OpaquePointer
        if let prepared = connection.statements[sql] {
            statement = prepared
        } else {
            var made: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &made, nil) == SQLITE_OK, let made else {
                throw Failure(description: "\(error(handle)) in \(sql)")
            }
            statement = made
            connection.statements[sql] = made
        }
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .integer(let number): sqlite3_bind_int64(statement, position, number)
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, understudy_SQLITE_TRANSIENT)
            case .null: sqlite3_bind_null(statement, position)
            }
        }
        let width = Int(sqlite3_column_count(statement))
        var flat: [Value] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                for column in 0..<Int32(width) {
                    switch sqlite3_column_type(statement, column) {
                    case SQLITE_INTEGER: flat.append(.integer(sqlite3_column_int64(statement, column)))
                    case SQLITE_NULL: flat.append(.null)
                    default:
                        let bytes = UnsafeRawBufferPointer(start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
                        flat.append(.text(String(decoding: bytes, as: UTF8.self)))
                    }
                }
            case SQLITE_DONE:
                return (width, flat)
            default:
                throw Failure(description: "\(error(handle)) in \(sql)")
            }
        }
    }

    static func error(_ handle: OpaquePointer) -> String { String(cString: sqlite3_errmsg(handle)) }

    /// The bytes the database takes on disk: its file and its write-ahead log as they are now
    /// (the log holds commits not yet checkpointed into the file).
    public var fileBytes: Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            var status = stat()
            return total + (stat(file, &status) == 0 ? Int64(status.st_size) : 0)
        }
    }

    /// The file's size with its write-ahead log, for the health report.
    public var sizeBytes: Int64 {
        (try? query("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").first?.first).flatMap {
            if case .integer(let n) = $0 { return n }
            return nil
        } ?? 0
    }
}
