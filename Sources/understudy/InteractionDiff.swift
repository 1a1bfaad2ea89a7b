import JSONCore
import Recording

/// One line of `recordings diff`: an interaction and where the emulator's answer departed from
/// the recorded one.
struct InteractionDiff {
    var number: Int
    var file: String
    var service: String
    var operation: String
    var differences: [ShapeDifference] = []
    /// What was left uncompared and why (a polled resource in another state).
    var notes: [String] = []

    var sameShape: Bool { differences.isEmpty }

    /// `same shape`, `1 difference`, `3 differences`.
    var verdict: String {
        switch differences.count {
        case 0: return "same shape"
        case 1: return "1 difference"
        default: return "\(differences.count) differences"
        }
    }

    /// The interaction for `--json`; `recorded` and `emulated` are null where a side has nothing.
    var jsonValue: JSONValue {
        var object = JSONObject()
        object["number"] = JSONValue(number)
        object["file"] = .string(file)
        object["service"] = .string(service)
        object["operation"] = .string(operation)
        object["sameShape"] = .bool(sameShape)
        object["differences"] = .array(
            differences.map { difference in
                var item = JSONObject()
                item["kind"] = .string(difference.kind.rawValue)
                item["path"] = .string(difference.path)
                item["recorded"] = difference.recorded.map(JSONValue.string) ?? .null
                item["emulated"] = difference.emulated.map(JSONValue.string) ?? .null
                item["description"] = .string(difference.description)
                return .object(item)
            })
        object["notes"] = .array(notes.map(JSONValue.string))
        return .object(object)
    }
}
