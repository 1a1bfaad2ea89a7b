import JSONCore

/// A retrier's or catcher's `ErrorEquals`: the error names it handles.
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
struct ErrorEquals: Sendable {
    let names: [String]

    init(_ raw: JSONValue?) { names = (raw?.arrayValue ?? []).compactMap(\.stringValue) }

    /// Whether it handles `failure`. `States.ALL` matches everything but the terminal
    /// `States.Runtime` and `States.DataLimitExceeded`; `States.TaskFailed` matches any task
    /// failure except a timeout; a missed heartbeat is a kind of timeout.
    func matches(_ failure: StatesError) -> Bool {
        if names.contains(failure.error) { return true }
        if failure.is(.runtime) || failure.is(.dataLimitExceeded) { return false }
        if names.contains(StatesErrorName.all.rawValue) { return true }
        if names.contains(StatesErrorName.timeout.rawValue), failure.is(.heartbeatTimeout) { return true }
        return names.contains(StatesErrorName.taskFailed.rawValue) && !failure.is(.timeout) && !failure.is(.heartbeatTimeout)
    }
}

/// A Retry or Catch entry: the first in the list whose ErrorEquals handles an error applies.
protocol ErrorRule: Sendable {
    var errorEquals: ErrorEquals { get }
}

extension Array where Element: ErrorRule {
    /// The first rule that handles `failure`, and its index.
    func firstMatch(_ failure: StatesError) -> (index: Int, rule: Element)? {
        for (index, rule) in enumerated() where rule.errorEquals.matches(failure) { return (index, rule) }
        return nil
    }
}
