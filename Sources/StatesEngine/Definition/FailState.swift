import JSONCore

/// A Fail state's Error and Cause: text, a path (JSONPath `ErrorPath`/`CausePath`, which may
/// also be an intrinsic function call), or a JSONata template.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
struct FailState: Sendable {
    enum Field: Sendable {
        case text(String)
        case path(String)
        case template(JSONValue)

        init?(_ name: String, in o: JSONObject, jsonata: Bool) {
            if jsonata {
                guard let template = o[name] else { return nil }
                self = .template(template)
            } else if let path = o[name + "Path"]?.stringValue {
                self = .path(path)
            } else if let text = o[name]?.stringValue {
                self = .text(text)
            } else {
                return nil
            }
        }
    }

    let error: Field?
    let cause: Field?

    init(_ o: JSONObject, jsonata: Bool) {
        error = Field("Error", in: o, jsonata: jsonata)
        cause = Field("Cause", in: o, jsonata: jsonata)
    }
}
