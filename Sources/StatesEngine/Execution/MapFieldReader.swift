import JSONCore

/// Reads a Map state's run-time fields in the state's query language: JSONPath (payload
/// templates, `…Path` twins, `ItemsPath`) or JSONata (`Items`, `Arguments` and `{% %}`
/// expressions with `$states`).
struct MapFieldReader: Sendable {
    enum Language: Sendable {
        case jsonPath(input: JSONValue, context: JSONValue)
        case jsonata(JSONataTemplate)
    }

    let run: Run
    let state: StateDefinition
    let language: Language

    /// A template in the state's language (an ItemReader's or ResultWriter's request, a
    /// BatchInput): a JSONPath payload template over the input, or JSONata.
    func template(_ raw: JSONValue?, field: String) throws(StatesError) -> JSONValue? {
        guard let raw else { return nil }
        switch language {
        case .jsonPath(let input, let context): return try run.payload(raw, input: input, context: context)
        case .jsonata(let fields): return try fields.evaluate(raw, field: field)
        }
    }

    /// A numeric setting: its value, what its `…Path` selects (nil when the path selects
    /// nothing), or a JSONata template that must give a number.
    func number(_ source: SettingSource?, field: String) throws(StatesError) -> JSONValue? {
        switch source {
        case nil: return nil
        case .value(let value)?: return value
        case .path(let reference)?:
            guard case .success(let path) = reference.parsed, case .jsonPath(let input, let context) = language else { return nil }
            return path.evaluate(input: input, context: context)
        case .template(let template)?:
            guard case .jsonata(let fields) = language else { return nil }
            return try fields.typed(template, field: field, expected: "number") { $0.numberValue != nil }
        }
    }

    /// The items when no ItemReader reads them: `ItemsPath` (JSONPath) or `Items` (JSONata;
    /// without it the state's input, which must then be an array).
    func items(_ map: MapState, input: JSONValue) throws(StatesError) -> [JSONValue] {
        switch language {
        case .jsonPath(let input, let context):
            let value = try map.itemsPath.select(input, context: context)
            guard case .array(let array) = value else {
                throw StatesError.runtime("Item path \(map.itemsPath.text ?? "$") evaluated to \(value.typeName.uppercased()), but must be a JSON array.")
            }
            return array
        case .jsonata(let fields):
            if let template = map.items {
                return try fields.typed(template, field: "Items", expected: "array") { $0.arrayValue != nil }.arrayValue ?? []
            }
            guard case .array(let array) = input else {
                throw .queryEvaluation("Map state input must be an array but was: \(input.jsonString)", location: "Items")
            }
            return array
        }
    }

    /// One item's input through the ItemSelector, with `Map.Item` in the context. An inline
    /// JSONPath iteration's context has `State.RetryCount` 0, as AWS shows it.
    func select(_ map: MapState, index: Int, item: JSONValue, inline: Bool) throws(StatesError) -> JSONValue {
        switch language {
        case .jsonPath(let input, _):
            let itemContext = run.context(state: state.name, enteredMillis: run.clock.nowMillis(), retryCount: inline ? 0 : nil, mapItem: (index, item))
            return try run.payload(map.itemSelector, input: input, context: itemContext) ?? item
        case .jsonata(var fields):
            guard let selector = map.itemSelector else { return item }
            fields.set("context", run.context(state: state.name, enteredMillis: run.clock.nowMillis(), retryCount: nil, mapItem: (index, item)))
            return try fields.evaluate(selector, field: "ItemSelector")
        }
    }

    /// MaxConcurrency (0: no limit), checked.
    func maxConcurrency(_ map: MapState) throws(StatesError) -> Int {
        switch language {
        case .jsonPath:
            guard let value = try number(map.maxConcurrency, field: "MaxConcurrency") else { return 0 }
            guard let n = Self.pathInteger(value) else {
                throw StatesError.runtime("The MaxConcurrencyPath field refers to value \"\(Self.shown(value))\" which is not a valid integer: \(map.maxConcurrency?.pathText ?? "")")
            }
            guard n >= 0 else { throw StatesError.runtime("Expected non-negative integer for MaxConcurrency, got '\(n)' instead.") }
            return n
        case .jsonata(let fields):
            guard case .template(let template)? = map.maxConcurrency else { return 0 }
            return try fields.integer(template, field: "MaxConcurrency", minimum: 0) ?? 0
        }
    }

    /// ToleratedFailureCount and ToleratedFailurePercentage (or their Paths), checked.
    func tolerance(_ map: MapState) throws(StatesError) -> FailureTolerance {
        var settings = FailureTolerance()
        switch language {
        case .jsonPath:
            if let raw = try number(map.toleratedFailureCount, field: "ToleratedFailureCount") {
                guard let n = Self.pathInteger(raw) else {
                    throw StatesError.runtime("The ToleratedFailureCountPath field refers to value \"\(Self.shown(raw))\" which is not a valid integer: \(map.toleratedFailureCount?.pathText ?? "")")
                }
                guard n >= 0 else { throw StatesError.runtime("ToleratedFailureCount cannot be negative.") }
                settings.count = n
            }
            if let raw = try number(map.toleratedFailurePercentage, field: "ToleratedFailurePercentage") {
                guard let p = Self.pathDouble(raw) else {
                    throw StatesError.runtime("The ToleratedFailurePercentagePath field refers to value \"\(Self.shown(raw))\" which is not a valid float: \(map.toleratedFailurePercentage?.pathText ?? "")")
                }
                guard (0...100).contains(p) else { throw StatesError.runtime("ToleratedFailurePercentage must be between 0 and 100.") }
                settings.percentage = p
            }
        case .jsonata(let fields):
            if case .template(let template)? = map.toleratedFailureCount {
                settings.count = try fields.integer(template, field: "ToleratedFailureCount", minimum: 0)
            }
            guard case .template(let template)? = map.toleratedFailurePercentage else { return settings }
            let value = try fields.typed(template, field: "ToleratedFailurePercentage", expected: "number") { $0.numberValue != nil }
            let percentage = value.doubleValue ?? 0
            guard (0...100).contains(percentage) else {
                throw .queryEvaluation("The value of the field 'ToleratedFailurePercentage' must be between 0 and 100, but was \(value.jsonString).", location: "ToleratedFailurePercentage")
            }
            settings.percentage = percentage
        }
        return settings
    }

    /// A number a `…Path` field selected: AWS takes numeric text too (`"1"`), and drops a
    /// fraction; one beyond the integers is no integer.
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
}
