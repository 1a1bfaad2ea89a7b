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
