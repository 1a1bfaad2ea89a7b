import JSONCore

/// A JSONata value while an expression runs. Unlike JSON it has `undefined` (nothing
/// matched), functions, and arrays that remember how they were made: a *sequence* is what a
/// path produces and collapses to its single member, a *constructed* array (`[...]`) keeps
/// its shape when a path flattens its steps.
enum Value {
    case undefined
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array(ValueArray)
    case object(ValueObject)
    case function(Function)

    var isUndefined: Bool { if case .undefined = self { return true } else { return false } }
    var isArray: Bool { if case .array = self { return true } else { return false } }
    var isFunction: Bool { if case .function = self { return true } else { return false } }
    var arrayValue: ValueArray? { if case .array(let a) = self { return a } else { return nil } }
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }

    static func sequence(_ items: [Value] = []) -> ValueArray { ValueArray(items, sequence: true) }

    /// JSONata's type names, as `$type` answers them.
    var typeName: String {
        switch self {
        case .undefined: return "undefined"
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        case .function: return "function"
        }
    }

    /// The members as an array: a value that is not an array is a one-member sequence.
    var members: [Value] {
        switch self {
        case .undefined: return []
        case .array(let a): return a.items
        default: return [self]
        }
    }
}

struct ValueArray {
    var items: [Value]
    /// Made by a path step (collapses when it holds one value).
    var sequence: Bool
    /// `[]` on a path step: keep a one-value result as an array.
    var keepSingleton = false
    /// Made by an array constructor: a path does not flatten it.
    var cons = false

    init(_ items: [Value], sequence: Bool = false) {
        self.items = items
        self.sequence = sequence
    }

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }
    mutating func append(_ value: Value) { items.append(value) }
}

/// An object that keeps its members in insertion order.
struct ValueObject {
    private(set) var keys: [String] = []
    private var values: [String: Value] = [:]

    init() {}

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    subscript(key: String) -> Value? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    var members: [(key: String, value: Value)] { keys.map { ($0, values[$0]!) } }
}

// MARK: - JSON conversion

extension Value {
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n.doubleValue)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(ValueArray(a.map(Value.init)))
        case .object(let o):
            var object = ValueObject()
            for member in o.storage { object[member.key] = Value(member.value) }
            self = .object(object)
        }
    }

    /// The JSON form; nil for undefined. Functions have no JSON form: inside a structure they
    /// are dropped (as `JSON.stringify` drops them), on their own they answer nil.
    var json: JSONValue? {
        switch self {
        case .undefined, .function: return nil
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n):
            // JSON has no literal for a non-finite number; AWS writes JavaScript's name for it.
            guard n.isFinite else { return .string(n.isNaN ? "NaN" : (n > 0 ? "Infinity" : "-Infinity")) }
            return .number(JSONNumber(text: NumberFormat.javaScript(n)) ?? JSONNumber(n))
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.items.compactMap(\.json))
        case .object(let o):
            var out = JSONObject(minimumCapacity: o.count)
            for (key, value) in o.members { if let v = value.json { out[key] = v } }
            return .object(out)
        }
    }
}

// MARK: - Truth and equality

extension Value {
    /// `$boolean`: JSONata's truthiness.
    var truthy: Bool {
        switch self {
        case .undefined, .null, .function: return false
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .string(let s): return !s.isEmpty
        case .array(let a):
            if a.count == 1 { return a.items[0].truthy }
            return a.items.contains { $0.truthy }
        case .object(let o): return !o.isEmpty
        }
    }

    /// Deep equality (`=`, `in`, `$distinct`).
    func deepEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in 0..<a.count where !a.items[i].deepEquals(b.items[i]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a.members {
                guard let v = b[key], value.deepEquals(v) else { return false }
            }
            return true
        case (.function(let a), .function(let b)): return a === b
        default: return false
        }
    }
}
