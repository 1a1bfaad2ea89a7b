import JSONCore

/// Where a state finds a setting it reads only when it runs (a Map's MaxConcurrency and
/// tolerated failures, an ItemReader's MaxItems, an ItemBatcher's sizes): the value written in
/// the definition or the one its `…Path` twin selects from the input (JSONPath), or a JSONata
/// template (a value or a `{% %}` expression).
enum SettingSource: Sendable {
    case value(JSONValue)
    case path(ReferencePath)
    case template(JSONValue)

    /// `name`, or for JSONPath its `namePath` twin, in `object`; nil when neither is there.
    init?(_ name: String, in object: JSONValue?, jsonata: Bool) {
        if let value = object?[name] {
            self = jsonata ? .template(value) : .value(value)
        } else if !jsonata, let text = object?[name + "Path"]?.stringValue {
            self = .path(ReferencePath(text))
        } else {
            return nil
        }
    }

    /// The `…Path` text, for causes that name it ("" when the value is written out).
    var pathText: String {
        if case .path(let path) = self { return path.text }
        return ""
    }
}
