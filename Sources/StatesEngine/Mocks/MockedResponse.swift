public import JSONCore

/// One entry of `MockedResponses`: what a Task answers on each of its invocations, counted from
/// 0. Keys are `"0"` or an inclusive range `"1-2"`; each value holds exactly one `Return` or
/// `Throw`. https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html
public struct MockedResponse: Sendable, Equatable {
    /// What one invocation answers.
    public enum Answer: Sendable, Equatable {
        /// The task's result, any JSON.
        case returns(JSONValue)
        /// The task fails with this error and cause, as the service's failure would.
        case throwsError(error: String, cause: String?)
    }

    /// The invocations each answer covers, in the file's order; no two overlap.
    public let entries: [(invocations: ClosedRange<Int>, answer: Answer)]

    public init(entries: [(invocations: ClosedRange<Int>, answer: Answer)]) {
        self.entries = entries
    }

    init(_ json: JSONValue, location: String) throws(MockConfig.Problem) {
        guard let object = json.objectValue else {
            throw MockConfig.Problem(location: location, message: "must be an object keyed by invocation number (\"0\", \"1-2\")")
        }
        var entries: [(invocations: ClosedRange<Int>, answer: Answer)] = []
        for (key, value) in object.members {
            let here = location + "." + MockConfig.path([key])
            guard let range = Self.invocations(key) else {
                throw MockConfig.Problem(location: here, message: "an invocation key is a number from 0 (\"0\") or a range (\"1-2\")")
            }
            if let other = entries.first(where: { $0.invocations.overlaps(range) }) {
                throw MockConfig.Problem(location: here, message: "overlaps the invocations \(Self.text(other.invocations)) given before")
            }
            entries.append((range, try Self.answer(value, location: here)))
        }
        self.entries = entries
    }

    /// The answer for invocation `number` (from 0), or nil when none is given.
    public func answer(_ number: Int) -> Answer? {
        entries.first { $0.invocations.contains(number) }?.answer
    }

    /// The invocations given, as the file writes them (`0, 1-2, 3`).
    public var coverage: String { entries.map { Self.text($0.invocations) }.joined(separator: ", ") }

    static func text(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? String(range.lowerBound) : "\(range.lowerBound)-\(range.upperBound)"
    }

    static func invocations(_ key: String) -> ClosedRange<Int>? {
        func number(_ text: Substring) -> Int? {
            guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(text)
        }
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return number(parts[0]).map { $0...$0 }
        case 2:
            guard let low = number(parts[0]), let high = number(parts[1]), low <= high else { return nil }
            return low...high
        default:
            return nil
        }
    }

    static func answer(_ json: JSONValue, location: String) throws(MockConfig.Problem) -> Answer {
        guard let object = json.objectValue else { throw MockConfig.Problem(location: location, message: "must be an object with Return or Throw") }
        for key in object.keys where key != "Return" && key != "Throw" {
            throw MockConfig.Problem(location: location + "." + MockConfig.path([key]), message: "unknown field; an invocation has Return or Throw")
        }
        switch (object["Return"], object["Throw"]) {
        case (let value?, nil):
            return .returns(value)
        case (nil, let thrown?):
            let here = location + ".Throw"
            guard let fields = thrown.objectValue else { throw MockConfig.Problem(location: here, message: "must be an object with Error and Cause") }
            for key in fields.keys where key != "Error" && key != "Cause" {
                throw MockConfig.Problem(location: here + "." + MockConfig.path([key]), message: "unknown field; Throw has Error and Cause")
            }
            guard let error = fields["Error"]?.stringValue, !error.isEmpty else {
                throw MockConfig.Problem(location: here + ".Error", message: "must be a non-empty string, the error name Retry and Catch match")
            }
            let cause = fields["Cause"]
            if let cause, cause.stringValue == nil, !cause.isNull {
                throw MockConfig.Problem(location: here + ".Cause", message: "must be a string")
            }
            return .throwsError(error: error, cause: cause?.stringValue)
        case (nil, nil):
            throw MockConfig.Problem(location: location, message: "needs Return or Throw")
        case (_?, _?):
            throw MockConfig.Problem(location: location, message: "has both Return and Throw; give one")
        }
    }

    public static func == (a: MockedResponse, b: MockedResponse) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.invocations == $1.invocations && $0.answer == $1.answer }
    }
}
