import JSONCore

/// `JSON.stringify` as JSONata uses it for `$string` and `&`: numbers to 15 significant
/// digits, functions as empty strings, optional two-space indentation.
enum Stringifier {
    /// `$string(value)` (undefined is the caller's business).
    static func cast(_ value: Value, pretty: Bool = false, position: Int = 0) throws(JSONataError) -> String {
        switch value {
        case .string(let s): return s
        case .function: return ""
        case .number(let n) where !n.isFinite:
            throw JSONataError("D3001", "Attempting to invoke string function on Infinity or NaN", position: position)
        default:
            var out = ""
            write(value, into: &out, pretty: pretty, indent: 0)
            return out
        }
    }

    /// Compact JSON text of a value, for messages.
    static func string(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, pretty: false, indent: 0)
        return out
    }

    private static func write(_ value: Value, into out: inout String, pretty: Bool, indent: Int) {
        switch value {
        case .undefined: out += "null"
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? NumberFormat.precision15(n) : "null"
        case .string(let s): quote(s, into: &out)
        case .function: out += "\"\""
        case .array(let a):
            if a.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in a.items.enumerated() {
                if i > 0 { out += "," }
                newline(&out, pretty, indent + 1)
                if item.isUndefined { out += "null" } else { write(item, into: &out, pretty: pretty, indent: indent + 1) }
            }
            newline(&out, pretty, indent)
            out += "]"
        case .object(let o):
            let members = o.members.filter { !$0.value.isUndefined }
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, member) in members.enumerated() {
                if i > 0 { out += "," }
                newline(&out, pretty, indent + 1)
                quote(member.key, into: &out)
                out += pretty ? ": " : ":"
                write(member.value, into: &out, pretty: pretty, indent: indent + 1)
            }
            newline(&out, pretty, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ pretty: Bool, _ indent: Int) {
        guard pretty else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

    /// JSON string escaping, which JSONCore's writer does exactly as `JSON.stringify` does.
    static func quote(_ s: String, into out: inout String) {
        out += JSONWriter.string(.string(s))
    }
}
