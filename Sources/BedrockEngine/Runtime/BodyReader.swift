import JSONCore

/// Reads a model request body the way Bedrock validates it: JSON Schema, reported in its
/// validator's words (`#/temperature: 1.5 is not less or equal to 1`, `#: required key
/// [max_tokens] not found`, `#: extraneous key [foo] is not permitted`).
struct BodyReader {
    let object: JSONObject
    let path: String

    static func root(_ bytes: [UInt8]) throws(BedrockError) -> BodyReader {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw .malformed("#: \(error.description)")
        }
        return try BodyReader(value, path: "#")
    }

    init(_ value: JSONValue, path: String) throws(BedrockError) {
        guard case .object(let object) = value else {
            throw .malformed("\(path): expected type: JSONObject, found: \(Self.typeName(value))")
        }
        self.object = object
        self.path = path
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "Null"
        case .bool: return "Boolean"
        case .number(let n): return n.isInteger ? "Integer" : "BigDecimal"
        case .string: return "String"
        case .array: return "JSONArray"
        case .object: return "JSONObject"
        }
    }

    func member(_ key: String) -> String { path == "#" ? "#/\(key)" : "\(path)/\(key)" }

    func require(_ keys: [String]) throws(BedrockError) {
        for key in keys where object[key] == nil { throw .malformed("\(path): required key [\(key)] not found") }
    }

    func allowOnly(_ keys: Set<String>) throws(BedrockError) {
        for key in object.keys where !keys.contains(key) { throw .malformed("\(path): extraneous key [\(key)] is not permitted") }
    }

    func string(_ key: String) throws(BedrockError) -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let s) = value else { throw .malformed("\(member(key)): expected type: String, found: \(Self.typeName(value))") }
        return s
    }

    func integer(_ key: String, min: Int? = nil, max: Int? = nil) throws(BedrockError) -> Int? {
        guard let value = object[key] else { return nil }
        guard case .number(let n) = value, n.isInteger, let i = n.intValue else {
            throw .malformed("\(member(key)): expected type: Integer, found: \(Self.typeName(value))")
        }
        if let min, i < min { throw .malformed("\(member(key)): \(i) is not greater or equal to \(min)") }
        if let max, i > max { throw .malformed("\(member(key)): \(i) is not less or equal to \(max)") }
        return i
    }

    func number(_ key: String, min: Double? = nil, max: Double? = nil) throws(BedrockError) -> Double? {
        guard let value = object[key] else { return nil }
        guard case .number(let n) = value else { throw .malformed("\(member(key)): expected type: Number, found: \(Self.typeName(value))") }
        let d = n.doubleValue
        if let min, d < min { throw .malformed("\(member(key)): \(n.text) is not greater or equal to \(JSONNumber(min).text)") }
        if let max, d > max { throw .malformed("\(member(key)): \(n.text) is not less or equal to \(JSONNumber(max).text)") }
        return d
    }

    func bool(_ key: String) throws(BedrockError) -> Bool? {
        guard let value = object[key] else { return nil }
        guard case .bool(let b) = value else { throw .malformed("\(member(key)): expected type: Boolean, found: \(Self.typeName(value))") }
        return b
    }

    func array(_ key: String) throws(BedrockError) -> [JSONValue]? {
        guard let value = object[key] else { return nil }
        guard case .array(let a) = value else { throw .malformed("\(member(key)): expected type: JSONArray, found: \(Self.typeName(value))") }
        return a
    }

    func strings(_ key: String, maxCount: Int? = nil) throws(BedrockError) -> [String]? {
        guard let array = try array(key) else { return nil }
        if let maxCount, array.count > maxCount {
            throw .malformed("\(member(key)): expected maximum item count: \(maxCount), found: \(array.count)")
        }
        var out: [String] = []
        for (i, element) in array.enumerated() {
            guard case .string(let s) = element else {
                throw .malformed("\(member(key))/\(i): expected type: String, found: \(Self.typeName(element))")
            }
            out.append(s)
        }
        return out
    }

    func object(_ key: String) throws(BedrockError) -> BodyReader? {
        guard let value = object[key] else { return nil }
        return try BodyReader(value, path: member(key))
    }

    func oneOf(_ key: String, _ allowed: [String]) throws(BedrockError) -> String? {
        guard let s = try string(key) else { return nil }
        guard allowed.contains(s) else { throw .malformed("\(member(key)): \(s) is not a valid enum value") }
        return s
    }
}
