import Locking

/// One execution's mocks: the test case chosen when it started, and a counter per Task state.
///
/// The counter is Step Functions Local 2.0's: one per state per execution, advanced on every
/// invocation of the state, Retry attempts and every Map iteration (and Parallel branch)
/// included. A Map over two items whose mock throws on `"0"` and returns on `"1"` to `"3"`
/// answers the first item's retry with `"1"` and the second item with `"2"`. Emulators that
/// counted per state entry or by retry count got this wrong (floci-io/floci#3254,
/// localstack/localstack#13107). Distributed Map children share their parent's counters.
public final class MockedTestCase: Sendable {
    public let name: String
    let mocks: [String: (name: String, response: MockedResponse)]
    /// How a `Return` is held against its API's output shape (the file's or the case's own).
    public let fieldValidationMode: FieldValidationMode
    private let counters = Locked<[String: Int]>([:])

    init(name: String, mocks: [String: (name: String, response: MockedResponse)], fieldValidationMode: FieldValidationMode = .none) {
        self.name = name
        self.mocks = mocks
        self.fieldValidationMode = fieldValidationMode
    }

    /// What the next invocation of a mocked state gets.
    enum Lookup: Sendable {
        case answer(MockedResponse.Answer, invocation: Int, response: String)
        /// The state is mocked, but not for this invocation (from 0).
        case missing(invocation: Int, response: String, coverage: String)
    }

    /// Takes the next invocation of `state`, advancing its counter; nil when the state is not
    /// mocked in this test case (it calls its integration).
    func next(state: String) -> Lookup? {
        guard let mock = mocks[state] else { return nil }
        let invocation = counters.withLock { counters in
            defer { counters[state, default: 0] += 1 }
            return counters[state, default: 0]
        }
        guard let answer = mock.response.answer(invocation) else {
            return .missing(invocation: invocation, response: mock.name, coverage: mock.response.coverage)
        }
        return .answer(answer, invocation: invocation, response: mock.name)
    }

    /// Whether `state` is mocked, without taking an invocation.
    func mocks(state: String) -> Bool { mocks[state] != nil }
}
