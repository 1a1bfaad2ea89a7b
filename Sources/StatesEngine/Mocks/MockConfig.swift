public import JSONCore

/// Step Functions Local's mock configuration file (`MockConfigFile.json`), read unchanged:
/// `StateMachines.<name>.TestCases.<case>` maps Task state names to the names of
/// `MockedResponses`, each of which maps invocation numbers (`"0"`, or a range `"1-2"`) to one
/// `Return` (any JSON, the task's result) or `Throw` (`Error`, `Cause`).
/// https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html
///
/// Everything is checked when the file is read, and a problem names where it is in the file
/// (`MockedResponses.MockedLambdaRetry."1-2".Throw.Error`), so a broken file is refused whole
/// rather than failing an execution later. An empty mocked response is allowed: a state that
/// names it fails when it runs, as Step Functions Local does.
///
/// One extension: `"fieldValidationMode"` (`STRICT`, `PRESENT`, `NONE`, TestState's
/// `mock.fieldValidationMode`) at the file's top level, and as a reserved key of a test case
/// object, where it overrides the file's for that case; a state with that exact name cannot be
/// mocked then. Without it nothing is checked (`NONE`), as in Step Functions Local.
public struct MockConfig: Sendable, Equatable {
    /// State machine name → test case name → Task state name → mocked response name.
    public let stateMachines: [String: [String: [String: String]]]
    public let responses: [String: MockedResponse]
    /// The file's `fieldValidationMode`.
    public let fieldValidationMode: FieldValidationMode
    /// State machine name → test case name → its own `fieldValidationMode`, where it has one.
    public let testCaseModes: [String: [String: FieldValidationMode]]

    /// The reserved key, spelled as TestState's `mock` spells it.
    public static let fieldValidationModeKey = "fieldValidationMode"

    /// A file that cannot be used, with where in it the problem is.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// A path into the file: `StateMachines.Machine.TestCases.Case`.
        public var location: String
        public var message: String

        public init(location: String, message: String) {
            self.location = location
            self.message = message
        }

        public var description: String { location.isEmpty ? message : "\(location): \(message)" }
    }

    public init(
        stateMachines: [String: [String: [String: String]]], responses: [String: MockedResponse], fieldValidationMode: FieldValidationMode = .none,
        testCaseModes: [String: [String: FieldValidationMode]] = [:]
    ) {
        self.stateMachines = stateMachines
        self.responses = responses
        self.fieldValidationMode = fieldValidationMode
        self.testCaseModes = testCaseModes
    }

    /// Reads and checks a parsed mock configuration file.
    public init(_ json: JSONValue) throws(Problem) {
        guard let root = json.objectValue else { throw Problem(location: "", message: "the file must hold a JSON object") }
        for key in root.keys where key != "StateMachines" && key != "MockedResponses" && key != Self.fieldValidationModeKey {
            throw Problem(location: Self.path([key]), message: "unknown field; the file has only StateMachines, MockedResponses and fieldValidationMode")
        }
        var fileMode = FieldValidationMode.none
        if let value = root[Self.fieldValidationModeKey] { fileMode = try Self.mode(value, location: [Self.fieldValidationModeKey]) }
        var responses: [String: MockedResponse] = [:]
        if let list = root["MockedResponses"] {
            guard let object = list.objectValue else { throw Problem(location: "MockedResponses", message: "must be an object of mocked responses") }
            for (name, value) in object.members {
                responses[name] = try MockedResponse(value, location: Self.path(["MockedResponses", name]))
            }
        }
        var machines: [String: [String: [String: String]]] = [:]
        var modes: [String: [String: FieldValidationMode]] = [:]
        if let list = root["StateMachines"] {
            guard let object = list.objectValue else { throw Problem(location: "StateMachines", message: "must be an object keyed by state machine name") }
            for (machine, value) in object.members {
                let location = ["StateMachines", machine]
                guard let body = value.objectValue else { throw Problem(location: Self.path(location), message: "must be an object with TestCases") }
                for key in body.keys where key != "TestCases" {
                    throw Problem(location: Self.path(location + [key]), message: "unknown field; a state machine has only TestCases")
                }
                guard let cases = body["TestCases"]?.objectValue else {
                    throw Problem(location: Self.path(location + ["TestCases"]), message: "must be an object of test cases")
                }
                var testCases: [String: [String: String]] = [:]
                for (name, mapping) in cases.members {
                    let caseLocation = location + ["TestCases", name]
                    guard let states = mapping.objectValue else {
                        throw Problem(location: Self.path(caseLocation), message: "must map Task state names to mocked response names")
                    }
                    var mocked: [String: String] = [:]
                    for (state, response) in states.members {
                        if state == Self.fieldValidationModeKey {
                            modes[machine, default: [:]][name] = try Self.mode(response, location: caseLocation + [state])
                            continue
                        }
                        guard let responseName = response.stringValue else {
                            throw Problem(location: Self.path(caseLocation + [state]), message: "must be the name of a mocked response (a string)")
                        }
                        guard responses[responseName] != nil else {
                            throw Problem(
                                location: Self.path(caseLocation + [state]), message: "no mocked response named '\(responseName)' in MockedResponses")
                        }
                        mocked[state] = responseName
                    }
                    testCases[name] = mocked
                }
                machines[machine] = testCases
            }
        }
        self.init(stateMachines: machines, responses: responses, fieldValidationMode: fileMode, testCaseModes: modes)
    }

    static func mode(_ value: JSONValue, location: [String]) throws(Problem) -> FieldValidationMode {
        guard let text = value.stringValue, let mode = FieldValidationMode(rawValue: text) else {
            throw Problem(location: Self.path(location), message: "must be STRICT, PRESENT or NONE (TestState's fieldValidationMode)")
        }
        return mode
    }

    /// The mocks of one test case for one execution, with counters of its own; nil when the
    /// file has no such state machine or test case.
    public func testCase(_ name: String, stateMachine: String) -> MockedTestCase? {
        guard let states = stateMachines[stateMachine]?[name] else { return nil }
        var mocks: [String: (name: String, response: MockedResponse)] = [:]
        for (state, responseName) in states {
            if let response = responses[responseName] { mocks[state] = (responseName, response) }
        }
        let mode = testCaseModes[stateMachine]?[name] ?? fieldValidationMode
        return MockedTestCase(name: name, mocks: mocks, fieldValidationMode: mode)
    }

    /// `a.b."c.d"`: a key with a dot, a space or a quote is quoted.
    static func path(_ keys: [String]) -> String {
        keys.map { key in
            key.isEmpty || key.contains(where: { $0 == "." || $0 == " " || $0 == "\"" }) || key.first?.isNumber == true
                ? "\"" + key.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\"" : key
        }.joined(separator: ".")
    }
}
