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
        try migrated.put(.executions, key: "e", document: "{}")
        XCTAssertEqual(try migrated.all(.executions).map(\.key), ["e"])
        try migrated.put(.batchJobs, key: "j", document: "{}")
        XCTAssertEqual(try migrated.all(.batchJobs).map(\.key), ["j"])
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
