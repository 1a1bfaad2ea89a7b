import JSONCore

/// A Task's TimeoutSeconds or HeartbeatSeconds: a number in the definition, a `…Path` into the
/// input (JSONPath), or a JSONata template; resolved when the state runs.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
enum TaskTimeout: Sendable {
    case seconds(Int)
    case path(ReferencePath)
    case template(JSONValue)

    init?(_ name: String, in state: JSONObject, jsonata: Bool) {
        if jsonata {
            guard let template = state[name] else { return nil }
            self = .template(template)
        } else if let seconds = state[name]?.intValue {
            self = .seconds(seconds)
        } else if let text = state[name + "Path"]?.stringValue {
            self = .path(ReferencePath(text))
        } else {
            return nil
        }
    }

    /// The number written in the definition, if that is what it is.
    var fixed: Int? {
        if case .seconds(let seconds) = self { return seconds }
        return nil
    }
}
