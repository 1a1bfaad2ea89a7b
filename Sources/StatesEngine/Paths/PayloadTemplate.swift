import JSONCore

/// Evaluates JSONPath-language payload templates (`Parameters`, `ResultSelector`,
/// `ItemSelector`): members whose key ends in `.$` take the value of a path or intrinsic call.
struct PayloadTemplate {
    let input: JSONValue
    let context: JSONValue
    let random: () -> UInt64

    func evaluate(_ template: JSONValue) throws(StatesError) -> JSONValue {
        switch template {
        case .object(let o):
            var out = JSONObject(minimumCapacity: o.count)
            for member in o.storage {
                if member.key.hasSuffix(".$") {
                    let key = String(member.key.dropLast(2))
                    guard case .string(let expression) = member.value else {
                        throw StatesError.runtime("The value for the field '\(member.key)' must be a STRING that contains a JSONPath but was an \(member.value.typeName.uppercased())")
                    }
                    out[key] = try value(of: expression, field: member.key)
                } else {
                    out[member.key] = try evaluate(member.value)
                }
            }
            return .object(out)
        case .array(let a):
            var out: [JSONValue] = []
            for element in a { out.append(try evaluate(element)) }
            return .array(out)
        default:
            return template
        }
    }

    func value(of expression: String, field: String) throws(StatesError) -> JSONValue {
        if IntrinsicExpression.looksLikeCall(expression) {
            let call = try IntrinsicExpression.parse(expression)
            return try IntrinsicEvaluator(input: input, context: context, random: random).evaluate(call)
        }
        let path: JSONPath
        do { path = try JSONPath(expression) } catch {
            throw StatesError.runtime("The JSONPath '\(expression)' specified for the field '\(field)' could not be found in the input '\(input.jsonString)'")
        }
        guard let v = path.evaluate(input: input, context: context) else {
            let source = path.root == .context ? context : input
            throw StatesError.runtime("The JSONPath '\(expression)' specified for the field '\(field)' could not be found in the input '\(source.jsonString)'")
        }
        return v
    }
}

/// InputPath / OutputPath / ResultPath handling.
enum PathFields {
    /// A field given as a value (`MaxItems`) or by its `…Path` twin (`MaxItemsPath`), read
    /// from `object`; nil when neither is there or the path selects nothing.
    static func valueOrPath(_ name: String, in object: JSONValue?, input: JSONValue, context: JSONValue) -> JSONValue? {
        if let value = object?[name] { return value }
        guard let text = object?["\(name)Path"]?.stringValue, let path = try? JSONPath(text) else { return nil }
        return path.evaluate(input: input, context: context)
    }

    /// `InputPath`/`OutputPath`: absent means `$`, null means `{}`.
    static func select(_ field: String, _ raw: JSONValue?, input: JSONValue, context: JSONValue) throws(StatesError) -> JSONValue {
        guard let raw else { return input }
        guard case .string(let text) = raw else { return [:] }
        let path: JSONPath
        do { path = try JSONPath(text) } catch { throw StatesError.runtime("Invalid path '\(text)' : \(error.message)") }
        guard let v = path.evaluate(input: input, context: context) else {
            throw StatesError.runtime("Invalid path '\(text)' : No results for path: \(path.bracketNotation)")
        }
        return v
    }

    /// `ResultPath`: absent means the result replaces the input, null discards it, a path
    /// places it inside (a copy of) the input.
    static func apply(_ raw: JSONValue?, input: JSONValue, result: JSONValue) throws(StatesError) -> JSONValue {
        guard let raw else { return result }
        guard case .string(let text) = raw else { return input }
        let path: JSONPath
        do { path = try JSONPath(text) } catch { throw StatesError.runtime("Invalid path '\(text)' : \(error.message)") }
        guard path.root == .input, path.isDefinite else {
            throw StatesError.runtime("Invalid path '\(text)': ResultPath must be a reference path")
        }
        if path.segments.isEmpty { return result }
        return try set(path.segments[...], in: input, to: result, text: text)
    }

    static func set(_ segments: ArraySlice<JSONPath.Segment>, in value: JSONValue, to result: JSONValue, text: String) throws(StatesError) -> JSONValue {
        guard let first = segments.first else { return result }
        switch first {
        case .key(let k):
            var o: JSONObject
            switch value {
            case .object(let existing): o = existing
            default: o = JSONObject()
            }
            o[k] = try set(segments.dropFirst(), in: o[k] ?? .null, to: result, text: text)
            return .object(o)
        case .index(let i):
            guard case .array(var a) = value, a.indices.contains(i) else {
                throw StatesError.runtime("Invalid path '\(text)': the index \(i) does not exist in the input")
            }
            a[i] = try set(segments.dropFirst(), in: a[i], to: result, text: text)
            return .array(a)
        default:
            throw StatesError.runtime("Invalid path '\(text)': ResultPath must be a reference path")
        }
    }
}
