import JSONCore

/// `ResultPath` (a state's or a catcher's): absent, the result replaces the input; null (any
/// value but a string) discards it; a path places it inside a copy of the input.
/// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
enum ResultPath: Sendable {
    case replace
    case discard
    case path(ReferencePath)

    init(_ raw: JSONValue?) {
        switch raw {
        case nil: self = .replace
        case .string(let text)?: self = .path(ReferencePath(text))
        default: self = .discard
        }
    }

    func place(_ result: JSONValue, in input: JSONValue) throws(StatesError) -> JSONValue {
        switch self {
        case .replace: return result
        case .discard: return input
        case .path(let reference):
            let text = reference.text
            let path: JSONPath
            switch reference.parsed {
            case .success(let parsed): path = parsed
            case .failure(let error): throw StatesError.runtime("Invalid path '\(text)' : \(error.message)")
            }
            guard path.root == .input, path.isDefinite else {
                throw StatesError.runtime("Invalid path '\(text)': ResultPath must be a reference path")
            }
            if path.segments.isEmpty { return result }
            return try Self.set(path.segments[...], in: input, to: result, text: text)
        }
    }

    private static func set(_ segments: ArraySlice<JSONPath.Segment>, in value: JSONValue, to result: JSONValue, text: String) throws(StatesError) -> JSONValue {
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
