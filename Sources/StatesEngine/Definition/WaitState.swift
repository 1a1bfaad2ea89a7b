import JSONCore

/// A Wait state's duration: seconds or an instant, written out, selected by a path (JSONPath)
/// or a JSONata template.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
struct WaitState: Sendable {
    enum Duration: Sendable {
        case seconds(Int)
        case secondsPath(ReferencePath)
        /// The text and the instant it names (nil: not an extended offset date-time).
        case timestamp(String, Int64?)
        case timestampPath(ReferencePath)
        case secondsTemplate(JSONValue)
        case timestampTemplate(JSONValue)
        /// None of them usable (a definition the validator did not see): no wait.
        case none
    }

    let duration: Duration

    init(_ o: JSONObject, jsonata: Bool) {
        if jsonata {
            if let template = o["Seconds"] {
                duration = .secondsTemplate(template)
            } else if let template = o["Timestamp"] {
                duration = .timestampTemplate(template)
            } else {
                duration = .none
            }
        } else if let seconds = o["Seconds"]?.intValue {
            duration = .seconds(seconds)
        } else if let text = o["SecondsPath"]?.stringValue {
            duration = .secondsPath(ReferencePath(text))
        } else if let text = o["Timestamp"]?.stringValue {
            duration = .timestamp(text, StatesTimestamp.parse(text))
        } else if let text = o["TimestampPath"]?.stringValue {
            duration = .timestampPath(ReferencePath(text))
        } else {
            duration = .none
        }
    }
}
