import Durable
import JSONCore
import Locking
import StatesEngine

/// Writes a STANDARD execution's history events to the database. Events are kept in order
/// as they are recorded and committed together at the execution's next durability point
/// (`flush`): before it calls a resource, hands out an activity task or a token, sleeps, and
/// before its row records its end. So whatever the execution did to the world outside is on
/// disk first, and a run of Pass and Choice states costs one commit rather than one per event;
/// what a crash loses of such a run, the replay that resumes the execution records again.
/// It is bound to the execution's row when that row is first written; unbound (no
/// `--data-dir`) it writes nothing.
final class EventJournal: HistoryJournal {
    private struct State {
        var target: (database: StateDatabase, position: Int64)?
        var pending: [HistoryEvent] = []
    }

    private let state: Locked<State>

    init() { state = Locked(State()) }

    init(database: StateDatabase, position: Int64) { state = Locked(State(target: (database, position))) }

    func bind(_ database: StateDatabase, position: Int64) { state.withLock { $0.target = $0.target ?? (database, position) } }

    func append(_ event: HistoryEvent) {
        state.withLock { if $0.target != nil { $0.pending.append(event) } }
    }

    /// Commits the events kept so far, in one transaction. The write happens under the lock so
    /// two flushes cannot commit out of order and leave a gap in the ids. A refused write
    /// leaves them in memory only, as before histories were kept, rather than stopping the
    /// execution (`flush` cannot throw).
    func flush() {
        try? flush { database, position, events throws(SQLiteDatabase.Failure) in try database.appendEvents(execution: position, events) }
    }

    /// Hands the events kept so far to `write` (with the database and the row's position, when
    /// bound), under the lock, and forgets them once it has written them: how the row that
    /// records the execution's end commits them in its own transaction.
    func flush(_ write: (StateDatabase, Int64, [(id: Int, record: String)]) throws(SQLiteDatabase.Failure) -> Void) throws(SQLiteDatabase.Failure) {
        try state.withLock { state throws(SQLiteDatabase.Failure) in
            guard let (database, position) = state.target, !state.pending.isEmpty else { return }
            try write(database, position, state.pending.map { ($0.id, $0.record.jsonString) })
            state.pending.removeAll(keepingCapacity: true)
        }
    }
}
