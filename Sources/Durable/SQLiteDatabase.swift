import CSQLite
import Locking

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

    /// An open `sqlite3*`, reached only through the lock above (`Locked` takes it `sending`).
    final class Connection {
        let handle: OpaquePointer
        init(_ handle: OpaquePointer) { self.handle = handle }
        deinit { sqlite3_close_v2(handle) }
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
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw Failure(description: "cannot open the database \(path)")
        }
        connection = Locked(Connection(handle))
        do throws(Failure) {
            try execute("PRAGMA journal_mode=WAL")
            try execute("PRAGMA synchronous=NORMAL")
            try execute("PRAGMA foreign_keys=ON")
            let check = try query("PRAGMA quick_check")
            guard check.first?.first == .text("ok") else {
                throw Failure(description: "failed its integrity check: \(check.compactMap { $0.first }.prefix(3))")
            }
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
        try connection.withLock { connection throws(Failure) in try Self.run(connection.handle, sql, values) }
    }

    /// Runs `body` in one transaction (all or nothing): its statements commit together when
    /// it returns, and roll back when it throws.
    public func transaction<Result>(_ body: (Transaction) throws(Failure) -> Result) throws(Failure) -> Result {
        try connection.withLock { connection throws(Failure) in
            try Self.run(connection.handle, "BEGIN IMMEDIATE", [])
            do throws(Failure) {
                let result = try body(Transaction(handle: connection.handle))
                try Self.run(connection.handle, "COMMIT", [])
                return result
            } catch {
                _ = try? Self.run(connection.handle, "ROLLBACK", [])
                throw error
            }
        }
    }

    /// Statements inside `transaction`.
    public struct Transaction {
        let handle: OpaquePointer

        @discardableResult
        public func query(_ sql: String, _ values: [Value] = []) throws(Failure) -> [[Value]] {
            try SQLiteDatabase.run(handle, sql, values)
        }
    }

    @discardableResult
    static func run(_ handle: OpaquePointer, _ sql: String, _ values: [Value]) throws(Failure) -> [[Value]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw Failure(description: "\(error(handle)) in \(sql)")
        }
        defer { sqlite3_finalize(statement) }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .integer(let number): sqlite3_bind_int64(statement, position, number)
            case .text(let text): sqlite3_bind_text(statement, position, text, -1, understudy_SQLITE_TRANSIENT)
            case .null: sqlite3_bind_null(statement, position)
            }
        }
        var rows: [[Value]] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                var row: [Value] = []
                for column in 0..<sqlite3_column_count(statement) {
                    switch sqlite3_column_type(statement, column) {
                    case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                    case SQLITE_NULL: row.append(.null)
                    default: row.append(.text(sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""))
                    }
                }
                rows.append(row)
            case SQLITE_DONE:
                return rows
            default:
                throw Failure(description: "\(error(handle)) in \(sql)")
            }
        }
    }

    static func error(_ handle: OpaquePointer) -> String { String(cString: sqlite3_errmsg(handle)) }

    /// The file's size with its write-ahead log, for the health report.
    public var sizeBytes: Int64 {
        (try? query("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").first?.first).flatMap {
            if case .integer(let n) = $0 { return n }
            return nil
        } ?? 0
    }
}
