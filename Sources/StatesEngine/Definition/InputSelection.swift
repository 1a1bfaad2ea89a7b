import JSONCore

/// `InputPath`, `OutputPath` or `ItemsPath`: absent selects the whole value, null (any value
/// but a string) selects `{}`, a path selects what it finds there.
/// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
enum InputSelection: Sendable {
    case whole
    case empty
    case path(ReferencePath)

    init(_ raw: JSONValue?) {
        switch raw {
        case nil: self = .whole
        case .string(let text)?: self = .path(ReferencePath(text))
        default: self = .empty
        }
    }

    /// The path's text, `$` when the whole value is selected.
    var text: String? {
        switch self {
        case .whole: return "$"
        case .empty: return nil
        case .path(let path): return path.text
        }
    }

    func select(_ input: JSONValue, context: JSONValue) throws(StatesError) -> JSONValue {
        switch self {
        case .whole: return input
        case .empty: return [:]
        case .path(let reference):
            let path: JSONPath
            switch reference.parsed {
            case .success(let parsed): path = parsed
            case .failure(let error): throw StatesError.runtime("Invalid path '\(reference.text)' : \(error.message)")
            }
            guard let v = path.evaluate(input: input, context: context) else {
                throw StatesError.runtime("Invalid path '\(reference.text)' : No results for path: \(path.bracketNotation)")
            }
            return v
        }
    }
}
