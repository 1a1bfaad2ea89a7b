import JSONCore

/// A Wait state's wait, on the execution clock and cut short by the state machine's timeout.
/// Durations saturate: `"SecondsPath"` selecting 9223372036854775 is a wait that outlasts any
/// execution (AWS's longest is a year), not an overflow.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
struct WaitRunner {
    let run: Run
    let wait: WaitState
    /// Its lane: a wait is measured from the lane's last event, the WaitStateEntered (on a
    /// resumed execution, from when it was recorded).
    let lane: HistoryLane

    /// A JSONPath Wait: Seconds, SecondsPath, Timestamp or TimestampPath.
    func run(input: JSONValue, context: JSONValue) async throws(StatesError) {
        var millis: Int64 = 0
        switch wait.duration {
        case .seconds(let seconds):
            millis = ExecutionTime.millis(seconds: seconds)
        case .secondsPath(let reference):
            let text = reference.text
            guard case .success(let path) = reference.parsed else { throw StatesError.runtime("Invalid SecondsPath '\(text)'") }
            guard let value = path.evaluate(input: input, context: context) else {
                throw StatesError.runtime("The SecondsPath parameter does not reference an input value: \(text)")
            }
            guard let seconds = Self.long(value) else {
                // The value as Java prints it: text as is (as AWS shows a TimestampPath's), a
                // Double as Double.toString.
                throw StatesError.runtime("The SecondsPath parameter cannot be parsed as a long value: \(text) == \(JavaText.string(value))")
            }
            guard seconds >= 0 else { throw StatesError.runtime("The SecondsPath parameter references a negative value: \(text) == \(seconds)") }
            millis = ExecutionTime.millis(seconds: seconds)
        case .timestamp(let text, let at):
            guard let at else { throw StatesError.runtime("The Timestamp parameter is not a valid ISO-8601 extended offset date-time format string: \(text)") }
            millis = ExecutionTime.subtracting(at, lane.lastMillis)
        case .timestampPath(let reference):
            let text = reference.text
            guard case .success(let path) = reference.parsed else { throw StatesError.runtime("Invalid TimestampPath '\(text)'") }
            guard let value = path.evaluate(input: input, context: context) else {
                throw StatesError.runtime("The TimestampPath parameter does not reference an input value: \(text)")
            }
            guard let string = value.stringValue, let at = StatesTimestamp.parse(string) else {
                let shown = value.stringValue ?? value.jsonString
                throw StatesError.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: \(text) == \(shown)")
            }
            millis = ExecutionTime.subtracting(at, lane.lastMillis)
        case .secondsTemplate, .timestampTemplate, .none:
            break
        }
        try await run.sleep(lane.remaining(millis))
    }

    /// The seconds a `SecondsPath` selected, read as Java's `Long.parseLong` reads the value's
    /// text: a 64-bit integer, numeric text such as `"10"` included. A fraction (`1.5`, `1.0`),
    /// an exponent, an integer beyond 64 bits or another type is none, and AWS fails the state
    /// with States.Runtime: "The SecondsPath parameter cannot be parsed as a long value:
    /// $.path == 1.5". A negative integer is "references a negative value: $.path == -1" and
    /// nothing selected "does not reference an input value: $.path"; AWS recorded those two
    /// (conformance cases base.test_wait.test_base_wait_seconds_path_-1 and
    /// logs.test_logs.test_base_wait_seconds_path.json5_ALL_False). The first is the cause
    /// localstack gives for the 1.5 and -1.5 cases of that same AWS-validated snapshot test;
    /// that text is read, not only numbers, is our reading of "parsed".
    /// https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
    static func long(_ value: JSONValue) -> Int? {
        switch value {
        case .number(let n): return n.isInteger ? Int(n.text) : nil
        case .string(let text): return Int(text)
        default: return nil
        }
    }

    /// A JSONata Wait: Seconds (an integer of at least 0) or Timestamp.
    func run(_ fields: JSONataTemplate) async throws(StatesError) {
        var millis: Int64 = 0
        switch wait.duration {
        case .secondsTemplate(let template):
            if let seconds = try fields.integer(template, field: "Seconds", minimum: 0) { millis = ExecutionTime.millis(seconds: seconds) }
        case .timestampTemplate(let template):
            let value = try fields.evaluate(template, field: "Timestamp")
            guard let text = value.stringValue, let at = StatesTimestamp.parse(text) else {
                throw .queryEvaluation("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: \(value.stringValue ?? value.jsonString)", location: "Timestamp")
            }
            millis = ExecutionTime.subtracting(at, lane.lastMillis)
        default:
            break
        }
        try await run.sleep(lane.remaining(millis))
    }
}
