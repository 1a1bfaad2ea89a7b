import JSONCore

/// Reads a Distributed Map's fields in the state's query language: JSONPath (`Parameters`,
/// payload templates, `…Path` twins, `ItemsPath`) or JSONata (`Arguments`, `Items` and
/// `{% %}` expressions with `$states`).
enum MapFieldReader {
    case jsonPath(input: JSONValue, context: JSONValue)
    case jsonata(JSONataTemplate)
}

extension Run {
    /// A template in the state's language: a JSONPath payload template, or JSONata `{% %}`.
    func mapTemplate(_ raw: JSONValue?, _ reader: MapFieldReader, field: String) throws(StatesError) -> JSONValue? {
        guard let raw else { return nil }
        switch reader {
        case .jsonPath(let input, let context): return try template(raw, input: input, context: context)
        case .jsonata(let fields): return try fields.evaluate(raw, field: field)
        }
    }

    /// An ItemReader's or ResultWriter's request: `Parameters` (JSONPath) or `Arguments` (JSONata).
    func mapArguments(of object: JSONValue, _ reader: MapFieldReader, field: String) throws(StatesError) -> JSONValue? {
        switch reader {
        case .jsonPath: return try mapTemplate(object["Parameters"], reader, field: field)
        case .jsonata: return try mapTemplate(object["Arguments"], reader, field: field)
        }
    }

    /// A numeric setting given as a value, a `…Path` (JSONPath) or an expression (JSONata).
    func mapNumber(_ name: String, in object: JSONValue?, _ reader: MapFieldReader) throws(StatesError) -> JSONValue? {
        switch reader {
        case .jsonPath(let input, let context):
            return PathFields.valueOrPath(name, in: object, input: input, context: context)
        case .jsonata(let fields):
            guard let raw = object?[name] else { return nil }
            return try fields.typed(raw, field: name, expected: "number") { $0.numberValue != nil }
        }
    }

    /// The items when no ItemReader reads them: `ItemsPath` (JSONPath) or `Items` (JSONata).
    func mapItems(_ state: StateDefinition, input: JSONValue, _ reader: MapFieldReader) throws(StatesError) -> [JSONValue] {
        switch reader {
        case .jsonPath(let input, let context):
            let value = try PathFields.select("ItemsPath", state["ItemsPath"], input: input, context: context)
            guard case .array(let array) = value else {
                throw StatesError.runtime("Item path \(state["ItemsPath"]?.stringValue ?? "$") evaluated to \(value.typeName.uppercased()), but must be a JSON array.")
            }
            return array
        case .jsonata(let fields):
            if let template = state["Items"] {
                return try fields.typed(template, field: "Items", expected: "array") { $0.arrayValue != nil }.arrayValue ?? []
            }
            guard case .array(let array) = input else {
                throw .queryEvaluation("Map state input must be an array but was: \(input.jsonString)", location: "Items")
            }
            return array
        }
    }

    /// One item's input through the ItemSelector, with `Map.Item` in the context.
    func mapSelect(_ state: StateDefinition, index: Int, item: JSONValue, input: JSONValue, _ reader: MapFieldReader) throws(StatesError) -> JSONValue {
        let itemContext = context(state: state.name, enteredMillis: interpreter.clock.nowMillis(), retryCount: nil, mapItem: (index, item))
        switch reader {
        case .jsonPath(let input, _):
            return try template(state["ItemSelector"] ?? state["Parameters"], input: input, context: itemContext) ?? item
        case .jsonata(var fields):
            guard let selector = state["ItemSelector"] else { return item }
            fields.set("context", itemContext)
            return try fields.evaluate(selector, field: "ItemSelector")
        }
    }

    /// ToleratedFailureCount and ToleratedFailurePercentage, checked.
    func mapTolerance(_ state: StateDefinition, _ reader: MapFieldReader) throws(StatesError) -> FailureTolerance {
        switch reader {
        case .jsonPath(let input, let context):
            return try toleranceSettings(state, input: input, context: context)
        case .jsonata(let fields):
            return try toleranceSettings(state, fields)
        }
    }

    func mapMaxConcurrency(_ state: StateDefinition, _ reader: MapFieldReader) throws(StatesError) -> Int {
        switch reader {
        case .jsonPath(let input, let context):
            guard let value = PathFields.valueOrPath("MaxConcurrency", in: .object(state.raw), input: input, context: context) else { return 0 }
            guard let n = Self.pathInteger(value) else {
                throw StatesError.runtime("The MaxConcurrencyPath field refers to value \"\(Self.shown(value))\" which is not a valid integer: \(state["MaxConcurrencyPath"]?.stringValue ?? "")")
            }
            guard n >= 0 else { throw StatesError.runtime("Expected non-negative integer for MaxConcurrency, got '\(n)' instead.") }
            return n
        case .jsonata(let fields):
            return try fields.integer(state["MaxConcurrency"], field: "MaxConcurrency", minimum: 0) ?? 0
        }
    }

    /// A number a `…Path` field selected: AWS takes numeric text too (`"1"`), and drops a
    /// fraction.
    static func pathInteger(_ value: JSONValue) -> Int? {
        switch value {
        case .number(let n):
            let d = n.doubleValue
            guard d.isFinite, abs(d) < 9.2e18 else { return nil }
            return n.intValue ?? Int(d.rounded(.towardZero))
        case .string(let text): return Int(text)
        default: return nil
        }
    }

    static func pathDouble(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let n): return n.doubleValue
        case .string(let text): return Double(text)
        default: return nil
        }
    }

    /// A selected value as the `…Path` causes show it: text as is, anything else as JSON.
    static func shown(_ value: JSONValue) -> String { value.stringValue ?? value.jsonString }

    /// JSONata's ToleratedFailureCount and ToleratedFailurePercentage.
    func toleranceSettings(_ state: StateDefinition, _ fields: JSONataTemplate) throws(StatesError) -> FailureTolerance {
        let count = try fields.integer(state["ToleratedFailureCount"], field: "ToleratedFailureCount", minimum: 0)
        guard let template = state["ToleratedFailurePercentage"] else { return FailureTolerance(count: count) }
        let value = try fields.typed(template, field: "ToleratedFailurePercentage", expected: "number") { $0.numberValue != nil }
        let percentage = value.doubleValue ?? 0
        guard (0...100).contains(percentage) else {
            throw .queryEvaluation("The value of the field 'ToleratedFailurePercentage' must be between 0 and 100, but was \(value.jsonString).", location: "ToleratedFailurePercentage")
        }
        return FailureTolerance(count: count, percentage: percentage)
    }
}
