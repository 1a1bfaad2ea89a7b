public import Determinism
public import JSONCore

/// Builds a value that validates against a JSON Schema (the subset tool definitions use:
/// type, properties, required, enum, const, items, min/max, minItems, anyOf/oneOf, format),
/// deterministically from its random stream. Tool-use answers use it for their `input`.
public struct SchemaInstanceGenerator {
    public var random: SeededRandom
    public var words: [String]

    public init(random: SeededRandom, words: [String]) {
        self.random = random
        self.words = words.isEmpty ? ["example"] : words
    }

    public mutating func instance(of schema: JSONValue, depth: Int = 0) -> JSONValue {
        guard depth < 8, case .object(let s) = schema else { return "example" }
        if let constant = s["const"] { return constant }
        if let choices = s["enum"]?.arrayValue, !choices.isEmpty { return choices[random.next(below: choices.count)] }
        for key in ["anyOf", "oneOf"] {
            if let options = s[key]?.arrayValue, !options.isEmpty { return instance(of: options[0], depth: depth + 1) }
        }
        if let all = s["allOf"]?.arrayValue, let first = all.first { return instance(of: first, depth: depth + 1) }
        var type = s["type"]?.stringValue
        if type == nil, let types = s["type"]?.arrayValue { type = types.compactMap(\.stringValue).first { $0 != "null" } }
        if type == nil, s["properties"] != nil { type = "object" }
        switch type {
        case "object":
            var out = JSONObject()
            let required = Set((s["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            for (name, property) in s["properties"]?.objectValue ?? JSONObject() where required.contains(name) || random.next(below: 2) == 0 {
                out[name] = instance(of: property, depth: depth + 1)
            }
            return .object(out)
        case "array":
            let minItems = s["minItems"]?.intValue ?? 1
            let maxItems = max(minItems, s["maxItems"]?.intValue ?? max(minItems, 2))
            let count = minItems + random.next(below: maxItems - minItems + 1)
            return .array((0..<count).map { _ in instance(of: s["items"] ?? ["type": "string"], depth: depth + 1) })
        case "integer":
            let low = s["minimum"]?.intValue ?? (s["exclusiveMinimum"]?.intValue).map { $0 + 1 } ?? 1
            let high = max(low, s["maximum"]?.intValue ?? (s["exclusiveMaximum"]?.intValue).map { $0 - 1 } ?? low + 99)
            return JSONValue(low + random.next(below: high - low + 1))
        case "number":
            let low = s["minimum"]?.doubleValue ?? 0
            let high = max(low, s["maximum"]?.doubleValue ?? low + 100)
            let steps = random.next(below: 1000)
            return .number(JSONNumber(((low + (high - low) * Double(steps) / 1000) * 100).rounded() / 100))
        case "boolean":
            return .bool(random.next(below: 2) == 0)
        case "null":
            return .null
        default:
            switch s["format"]?.stringValue {
            case "date": return "2024-06-01"
            case "date-time": return "2024-06-01T12:00:00Z"
            case "email": return "user@example.com"
            case "uri", "url": return "https://example.com/resource"
            case "uuid": return "123e4567-e89b-42d3-a456-426614174000"
            default:
                var word = words[random.next(below: words.count)]
                if let minLength = s["minLength"]?.intValue, word.count < minLength {
                    word += String(repeating: "x", count: minLength - word.count)
                }
                if let maxLength = s["maxLength"]?.intValue, word.count > maxLength { word = String(word.prefix(maxLength)) }
                return .string(word)
            }
        }
    }
}

/// Ids in the shapes Bedrock's models use (`msg_bdrk_01…`, `toolu_bdrk_01…`, `tooluse_…`).
public enum GeneratedID {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public static func make(prefix: String, length: Int, random: inout SeededRandom) -> String {
        var out = prefix
        for _ in 0..<length { out.append(alphabet[random.next(below: alphabet.count)]) }
        return out
    }
}
