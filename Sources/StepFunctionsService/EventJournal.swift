import Durable
import JSONCore
import Locking
import StatesEngine

/// Writes a STANDARD execution's history events to the database as they are recorded, each
/// committed before `append` returns and so before the execution acts on it (the history
/// calls it under its own lock, in event order). It is bound to the execution's row when that
/// row is first written; unbound (no `--data-dir`) it writes nothing.
final class EventJournal: HistoryJournal {
    private let target: Locked<(database: StateDatabase, position: Int64)?>

    init() { target = Locked(nil) }

    init(database: StateDatabase, position: Int64) { target = Locked((database, position)) }

    func bind(_ database: StateDatabase, position: Int64) { target.withLock { $0 = $0 ?? (database, position) } }

    func append(_ event: HistoryEvent) {
        guard let (database, position) = target.withLock({ $0 }) else { return }
        // `append` cannot throw: a refused write leaves the event in memory only, as it was
        // before histories were kept, rather than stopping the execution.
        try? database.appendEvent(execution: position, id: event.id, record: event.record.jsonString)
    }
}
