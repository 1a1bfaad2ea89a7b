import Durable
import JSONCore
import Locking
import StatesEngine

/// Reads stored executions' details and histories when they are first asked for, and keeps
/// each distinct definition parsed once: 100,000 executions of ten machines parse ten
/// definitions, and only when one of them is described or run.
final class ExecutionRecords: Sendable {
    let database: StateDatabase
    /// Parsed definitions by id, and ids by text (so an execution's row names its definition
    /// without writing the text again).
    private let definitions = Locked<(parsed: [Int64: (text: String, definition: StateMachineDefinition)], ids: [String: Int64])>(([:], [:]))

    init(database: StateDatabase) { self.database = database }

    /// The id of `text` in the definitions table, written there when new.
    func definitionID(_ text: String) throws(SQLiteDatabase.Failure) -> Int64 {
        if let id = definitions.withLock({ $0.ids[text] }) { return id }
        let id = try database.definitionID(text)
        definitions.withLock { $0.ids[text] = id }
        return id
    }

    /// Forgets the ids after a reset emptied the definitions table.
    func forget() { definitions.withLock { $0 = ([:], [:]) } }

    func definition(_ id: Int64) -> (text: String, definition: StateMachineDefinition)? {
        if let known = definitions.withLock({ $0.parsed[id] }) { return known }
        guard let text = try? database.definition(id), let parsed = try? StatesOperations.parseDefinition(text, type: .standard) else { return nil }
        definitions.withLock { $0.parsed[id] = (text, parsed); $0.ids[text] = id }
        return (text, parsed)
    }

    func details(at position: Int64) -> StatesStore.Execution.Details? {
        guard let (document, id) = try? database.execution(at: position), let definition = definition(id) else { return nil }
        return ExecutionRecord.details(document, definition: definition)
    }

    func history(at position: Int64, journal: EventJournal?) -> ExecutionHistory {
        let events = ((try? database.events(execution: position)) ?? []).compactMap { record in
            (try? JSONParser.parse(record)).flatMap(HistoryEvent.init(record:))
        }
        guard let journal else { return ExecutionHistory(restoring: events) }
        return ExecutionHistory(restoring: events, journal: journal)
    }

    /// What a row that cannot be read describes: a definition that fails, rather than a trap.
    static let unreadable: StatesStore.Execution.Details = {
        let text = #"{"StartAt":"Unreadable","States":{"Unreadable":{"Type":"Fail","Error":"States.Runtime"}}}"#
        guard let definition = try? StateMachineDefinition(text: text) else { preconditionFailure("the fallback definition does not parse") }
        return StatesStore.Execution.Details(
            machineName: "", input: "{}", definitionText: text, definition: definition, roleArn: "", revisionId: "", versionArn: nil, aliasArn: nil)
    }()
}
