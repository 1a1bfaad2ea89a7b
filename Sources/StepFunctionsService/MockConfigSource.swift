import Foundation
public import JSONCore
import Locking
public import StatesEngine

/// Where the mock configuration comes from and what is in force: a file (`SFN_MOCK_CONFIG`,
/// `LOCALSTACK_SFN_MOCK_CONFIG`, `--mock-config`, `stepFunctions.mockConfig`), read again
/// whenever it changed when an execution starts, or a configuration set through the admin API.
///
/// A file that cannot be read or used leaves the mocks in force as they were, and the problem
/// is kept (`problem`) for the admin API and the log: an edit half-saved by an editor never
/// takes the mocks away mid-test.
public final class MockConfigSource: Sendable {
    /// What is in force and where it came from.
    public struct Loaded: Sendable {
        public var config: MockConfig?
        /// The file as last read (or set), for `GET /_understudy/mock-config`.
        public var document: JSONValue?
        /// The file's path, nil when set through the admin API or not configured.
        public var path: String?
        /// The file's modification time and size when read, to see an edit.
        var stamp: FileStamp?
        /// Why the last read was refused, naming where in the file.
        public var problem: String?
    }

    struct FileStamp: Equatable, Sendable {
        var modified: Double
        var size: Int
    }

    private let loaded: Locked<Loaded>
    private let log: @Sendable (String) -> Void
    /// The file the server was started with, which a reset goes back to.
    private let configuredPath: String?
    /// Test cases for executions started without one, by machine and execution name.
    public let rules: [TestCaseRule]

    /// No mocks until some are set through the admin API.
    public init() {
        log = { _ in }
        loaded = Locked(Loaded())
        configuredPath = nil
        rules = []
    }

    /// - Parameter path: the mock file; it is read now, and a file that cannot be used is an
    ///   error here (the server does not start on it).
    public init(path: String?, rules: [TestCaseRule] = [], log: @escaping @Sendable (String) -> Void = { _ in }) throws(MockConfig.Problem) {
        self.log = log
        self.rules = rules
        configuredPath = path
        var state = Loaded(path: path)
        if let path {
            let (document, config, stamp) = try Self.read(path)
            state.document = document
            state.config = config
            state.stamp = stamp
        }
        loaded = Locked(state)
    }

    /// The configuration in force, after reading the file again if it changed.
    public func current() -> Loaded {
        let snapshot = loaded.withLock { $0 }
        guard let path = snapshot.path else { return snapshot }
        let stamp = Self.stamp(path)
        guard stamp != snapshot.stamp else { return snapshot }
        do {
            let (document, config, newStamp) = try Self.read(path)
            return loaded.withLock { state in
                state.document = document
                state.config = config
                state.stamp = newStamp
                state.problem = nil
                return state
            }
        } catch {
            log("the mock configuration \(path) was not reloaded; the previous mocks stay in force: \(error)")
            return loaded.withLock { state in
                // Not read again until it changes again.
                state.stamp = stamp
                state.problem = error.description
                return state
            }
        }
    }

    /// The test case the first matching rule names for an execution started without one.
    public func ruleTestCase(stateMachine: String, execution: String) -> String? {
        rules.first { $0.matches(stateMachine: stateMachine, execution: execution) }?.testCase
    }

    /// Puts `document` in force instead of the file (the admin API). A configuration that
    /// cannot be used is refused and changes nothing.
    public func set(_ document: JSONValue) throws(MockConfig.Problem) {
        let config = try MockConfig(document)
        loaded.withLock { $0 = Loaded(config: config, document: document, path: nil, stamp: nil, problem: nil) }
    }

    /// No mocks at all (the admin API's DELETE).
    public func clear() {
        loaded.withLock { $0 = Loaded() }
    }

    /// Back to the file the server started with, read again when next used (the admin reset).
    public func restore() {
        loaded.withLock { $0 = Loaded(path: configuredPath) }
    }

    static func read(_ path: String) throws(MockConfig.Problem) -> (JSONValue, MockConfig, FileStamp?) {
        let stamp = Self.stamp(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MockConfig.Problem(location: "", message: "cannot read the mock configuration file \(path)")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(data))
        } catch {
            throw MockConfig.Problem(location: "", message: "\(path) is not JSON: \(error)")
        }
        do {
            return (document, try MockConfig(document), stamp)
        } catch {
            throw MockConfig.Problem(location: error.location, message: "\(error.message) (in \(path))")
        }
    }

    static func stamp(_ path: String) -> FileStamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        return FileStamp(modified: modified, size: size)
    }
}
