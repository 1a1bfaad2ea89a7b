import JSONCore
import Synchronization

/// One history event as GetExecutionHistory returns it.
public struct HistoryEvent: Sendable {
    public var id: Int
    public var previousEventId: Int
    public var timestampMillis: Int64
    public var type: String
    /// The details member's name (`stateEnteredEventDetails`, …) and value, when the type has one.
    public var details: (key: String, value: JSONValue)?
}

/// The events of one execution, appended as it runs (Map iterations and Parallel branches
/// share one id sequence, each chaining `previousEventId` within its own lane).
public final class ExecutionHistory: Sendable {
    private let events = Mutex<[HistoryEvent]>([])

    public init() {}

    public var all: [HistoryEvent] { events.withLock { $0 } }

    @discardableResult
    func add(_ type: String, after previous: Int, at millis: Int64, details: (String, JSONValue)? = nil) -> Int {
        events.withLock { list in
            let id = list.count + 1
            list.append(HistoryEvent(id: id, previousEventId: previous, timestampMillis: millis, type: type, details: details.map { ($0.0, $0.1) }))
            return id
        }
    }
}

/// A chain of history events inside one lane (the execution, a branch, an iteration).
final class HistoryLane {
    let history: ExecutionHistory
    let clock: any ExecutionClock
    var last: Int

    init(history: ExecutionHistory, clock: any ExecutionClock, last: Int) {
        self.history = history
        self.clock = clock
        self.last = last
    }

    @discardableResult
    func add(_ type: String, _ details: (String, JSONValue)? = nil) -> Int {
        last = history.add(type, after: last, at: clock.nowMillis(), details: details)
        return last
    }

    func branch() -> HistoryLane { HistoryLane(history: history, clock: clock, last: last) }
}

/// Time for executions: Wait states, retry backoff. Scaled or instant in tests.
public protocol ExecutionClock: Sendable {
    func nowMillis() -> Int64
    /// Waits `milliseconds` of execution time (which the clock may scale or skip).
    func sleep(milliseconds: Int64) async
}

/// Calls a Task state's resource.
public protocol TaskInvoker: Sendable {
    func invoke(resource: String, parameters: JSONValue, context: TaskContext) async throws(StatesError) -> JSONValue
}

public struct TaskContext: Sendable {
    public var stateName: String
    public var executionArn: String
    public var region: String
    public var account: String
}

/// What an execution knows about itself (the `$$` context object's fixed part).
public struct ExecutionInfo: Sendable {
    public var arn: String
    public var name: String
    public var stateMachineArn: String
    public var stateMachineName: String
    public var roleArn: String
    public var startMillis: Int64
    public var region: String
    public var account: String

    public init(arn: String, name: String, stateMachineArn: String, stateMachineName: String, roleArn: String, startMillis: Int64, region: String, account: String) {
        self.arn = arn
        self.name = name
        self.stateMachineArn = stateMachineArn
        self.stateMachineName = stateMachineName
        self.roleArn = roleArn
        self.startMillis = startMillis
        self.region = region
        self.account = account
    }
}

/// ISO-8601 timestamps as Step Functions writes (`2024-02-07T13:50:28.123Z`) and reads them
/// (extended offset date-times, up to nanoseconds).
public enum StatesTimestamp {
    public static func format(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rem = Int(seconds - days * 86400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func pad(_ v: Int, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(Int(y), 4))-\(pad(Int(m), 2))-\(pad(Int(d), 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2)).\(pad(ms, 3))Z"
    }

    /// Milliseconds since the epoch, or nil when the text is not an extended offset date-time.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            guard b[r].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int(String(decoding: b[r], as: UTF8.self))
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16), let s = num(17..<19),
            (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60
        else { return nil }
        var i = 19
        var millis = 0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 3 { millis = millis * 10 + Int(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard (1...9).contains(digits) else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == 0x5A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D, b.count - i == 6, b[i + 3] == 0x3A, let oh = num(i + 1..<i + 3), let om = num(i + 4..<i + 6) {
            offset = (oh * 60 + om) * 60 * (b[i] == 0x2B ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let yy = Int64(mo <= 2 ? y - 1 : y)
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mm = Int64(mo)
        let doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return (days * 86400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)) * 1000 + Int64(millis)
    }
}
