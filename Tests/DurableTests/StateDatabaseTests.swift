@testable import Durable
import Foundation
import XCTest

/// The control plane's database: records in the order first written, updates in place, the
/// schema version written and checked, and files that are not this schema's refused untouched.
final class StateDatabaseTests: XCTestCase {
    var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "state-database-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func testRecordsKeepTheirFirstPositionAndSurviveReopening() throws {
        do {
            let database = try StateDatabase(directory: directory)
            try database.put(.stateMachines, key: "b", document: #"{"v":1}"#)
            try database.put(.stateMachines, key: "a", document: #"{"v":1}"#)
            try database.put(.stateMachines, key: "b", document: #"{"v":2}"#)
            try database.put(.activities, key: "x", document: "{}")
            try database.delete(.activities, key: "x")
        }
        let reopened = try StateDatabase(directory: directory)
        XCTAssertEqual(try reopened.all(.stateMachines).map(\.key), ["b", "a"])
        XCTAssertEqual(try reopened.all(.stateMachines).first?.document, #"{"v":2}"#)
        XCTAssertEqual(try reopened.all(.activities).count, 0)
        XCTAssertEqual(try reopened.database.query("PRAGMA user_version"), [[.integer(StateDatabase.schemaVersion)]])
        try reopened.clear()
        XCTAssertEqual(try reopened.all(.stateMachines).count, 0)
    }

    /// A file of schema 1 (state machines and activities only) gains the executions table and
    /// keeps its records.
    func testAnOlderSchemaIsMigrated() throws {
        let path = directory + "/" + StateDatabase.fileName
        do {
            let old = try SQLiteDatabase(path: path)
            try old.execute(StateDatabase.migrations[1]!)
            try old.execute("PRAGMA user_version = 1")
            try old.query("INSERT INTO state_machines (key, document) VALUES ('m', '{}')")
        }
        let migrated = try StateDatabase(directory: directory)
        XCTAssertEqual(try migrated.database.query("PRAGMA user_version"), [[.integer(StateDatabase.schemaVersion)]])
        XCTAssertEqual(try migrated.all(.stateMachines).map(\.key), ["m"])
        let row = StateDatabase.ExecutionRow(key: "e", name: "e", machineArn: "m", status: "RUNNING", startMillis: 1, stopMillis: nil)
        try migrated.putExecution(row, definition: try migrated.definitionID("{}"), document: "{}")
        XCTAssertEqual(try migrated.all(.executions).map(\.key), ["e"])
        try migrated.put(.batchJobs, key: "j", document: "{}")
        XCTAssertEqual(try migrated.all(.batchJobs).map(\.key), ["j"])
    }

    /// A file of schema 2 (each execution one document with its definition and its history)
    /// is taken apart: the listing columns filled, each definition kept once, each event a row,
    /// and the document left with the rest, so the executions read back as they were.
    func testSchema2ExecutionsAreTakenApart() throws {
        let path = directory + "/" + StateDatabase.fileName
        let definition = #"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#
        func document(_ name: String, status: String, stop: Int?, events: Int) -> String {
            let history = (1...max(events, 1)).prefix(events).map { #"{"id":\#($0),"previousEventId":\#($0 - 1),"timestamp":\#(100 + $0),"type":"PassStateEntered","lane":"0"}"# }
            let end = stop.map { #","stop":\#($0),"output":"{}""# } ?? ""
            return #"{"arn":"arn:e:\#(name)","name":"\#(name)","machineArn":"arn:m","machineName":"m","input":"{\"a\":1}","start":100,"#
                + #""definition":\#(StateDatabaseTests.quoted(definition)),"roleArn":"r","revisionId":"","status":"\#(status)"\#(end),"redriveCount":0,"#
                + #""history":[\#(history.joined(separator: ","))]}"#
        }
        do {
            let old = try SQLiteDatabase(path: path)
            try old.execute(StateDatabase.migrations[1]! + StateDatabase.migrations[2]!)
            try old.execute("PRAGMA user_version = 2")
            try old.query("INSERT INTO executions (key, document) VALUES (?, ?)", [.text("arn:e:done"), .text(document("done", status: "SUCCEEDED", stop: 200, events: 3))])
            try old.query("INSERT INTO executions (key, document) VALUES (?, ?)", [.text("arn:e:held"), .text(document("held", status: "RUNNING", stop: nil, events: 0))])
        }
        let migrated = try StateDatabase(directory: directory)
        XCTAssertEqual(try migrated.database.query("PRAGMA user_version"), [[.integer(StateDatabase.schemaVersion)]])
        let rows = try migrated.executionRows()
        XCTAssertEqual(rows.map(\.key), ["arn:e:done", "arn:e:held"])
        XCTAssertEqual(rows.map(\.name), ["done", "held"])
        XCTAssertEqual(rows.map(\.machineArn), ["arn:m", "arn:m"])
        XCTAssertEqual(rows.map(\.status), ["SUCCEEDED", "RUNNING"])
        XCTAssertEqual(rows.map(\.startMillis), [100, 100])
        XCTAssertEqual(rows.map(\.stopMillis), [200, nil])
        let done = try XCTUnwrap(try migrated.execution(at: rows[0].position))
        XCTAssertEqual(try migrated.definition(done.definition), definition)
        XCTAssertEqual(try migrated.execution(at: rows[1].position)?.definition, done.definition, "one definition row for both")
        XCTAssertEqual(try migrated.database.query("SELECT COUNT(*) FROM definitions"), [[.integer(1)]])
        XCTAssertFalse(done.document.contains("history") || done.document.contains("StartAt"), done.document)
        XCTAssertTrue(done.document.contains(#""output":"{}""#) && done.document.contains(#""input":"{\"a\":1}""#), done.document)
        let events = try migrated.events(execution: rows[0].position)
        XCTAssertEqual(events.count, 3)
        XCTAssertEqual(events.first, #"{"id":1,"previousEventId":0,"timestamp":101,"type":"PassStateEntered","lane":"0"}"#)
        XCTAssertEqual(try migrated.events(execution: rows[1].position), [])
        XCTAssertEqual(try migrated.runningExecutionRows().map(\.key), ["arn:e:held"])
        XCTAssertEqual(try migrated.executionRows(machineArn: "arn:m").map(\.key), ["arn:e:held", "arn:e:done"])
        XCTAssertEqual(try migrated.executionRow(key: "arn:e:done")?.stopMillis, 200)
        // Events go on being written after the migration, and a reset forgets them.
        try migrated.appendEvents(execution: rows[1].position, [(1, "{}")])
        XCTAssertEqual(try migrated.events(execution: rows[1].position), ["{}"])
        try migrated.deleteExecutions()
        XCTAssertEqual(try migrated.database.query("SELECT (SELECT COUNT(*) FROM executions) + (SELECT COUNT(*) FROM history_events) + (SELECT COUNT(*) FROM definitions)"), [[.integer(0)]])
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    func testANewerSchemaIsRefusedAndLeftAlone() throws {
        try StateDatabase(directory: directory).database.execute("PRAGMA user_version = 7")
        let path = directory + "/" + StateDatabase.fileName
        let before = FileManager.default.contents(atPath: path)
        XCTAssertThrowsError(try StateDatabase(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("has schema version 7, newer than this Understudy knows (\(StateDatabase.schemaVersion))"), "\(error)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), before)
    }

    func testAFileThatIsNoDatabaseIsRefused() throws {
        let path = directory + "/" + StateDatabase.fileName
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 4096)))
        XCTAssertThrowsError(try StateDatabase(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("is not a usable Understudy database"), "\(error)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data(repeating: 0x41, count: 4096))
    }
}
