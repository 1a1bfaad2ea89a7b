import JSONCore
import JSONata

/// Which language a state's fields are written in, and the definition-time checks that go
/// with it: fields of the other language, and JSONata expressions that do not parse or that
/// Step Functions refuses.
enum QueryLanguage {
    /// A state's language: JSONPath only when it says exactly `"JSONPath"`, the machine's when
    /// it says nothing, JSONata otherwise.
    static func isJSONata(state: JSONObject, machineIsJSONata: Bool) -> Bool {
        guard let declared = state["QueryLanguage"] else { return machineIsJSONata }
        return declared.stringValue != "JSONPath"
    }

    static let jsonPathOnly = [
        "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Parameters", "Result", "ItemsPath", "MaxConcurrencyPath",
        "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "ErrorPath", "CausePath",
        "ToleratedFailureCountPath", "ToleratedFailurePercentagePath",
    ]
    static let jsonataOnly = ["Output", "Arguments", "Items"]

    /// Fields of a JSONata state whose strings may hold `{% … %}` expressions.
    static let expressionFields = [
        "Arguments", "Output", "Assign", "Items", "ItemSelector", "Seconds", "Timestamp", "TimeoutSeconds", "HeartbeatSeconds",
        "Error", "Cause", "MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage", "ItemReader", "ItemBatcher", "ResultWriter",
    ]

    /// The state's problems with its QueryLanguage field and with fields of the other language.
    static func fieldProblems(_ state: JSONObject, isJSONata: Bool, machineIsJSONata: Bool, path: String) -> [StateMachineDefinition.Problem] {
        var problems: [StateMachineDefinition.Problem] = []
        func fail(_ message: String, _ location: String) { problems.append(.init(.schemaValidationFailed, message, at: location)) }
        if let declared = state["QueryLanguage"] {
            if let text = declared.stringValue {
                if text != "JSONPath", text != "JSONata" {
                    fail("Value should be one of the following: [JSONPath, JSONata]", "\(path)/QueryLanguage")
                } else if text == "JSONPath", machineIsJSONata {
                    fail("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", path)
                }
            } else {
                fail("Expected value of type String", "\(path)/QueryLanguage")
            }
        }
        let (own, other) = isJSONata ? ("JSONata", "JSONPath") : ("JSONPath", "JSONata")
        for field in isJSONata ? jsonPathOnly : jsonataOnly where state[field] != nil {
            fail("The QueryLanguage is set to '\(own)', but field '\(field)' is only supported for the '\(other)' QueryLanguage", path)
        }
        return problems
    }

    /// The expression of a `{% … %}` template string, or nil for any other value.
    static func expression(in value: JSONValue) -> String? {
        guard case .string(let s) = value, s.hasPrefix("{%"), s.hasSuffix("%}"), s.utf8.count >= 4 else { return nil }
        return String(s.dropFirst(2).dropLast(2)).trimmingWhitespace()
    }

    /// Compiles every expression in a JSONata state's fields, keyed by its text.
    static func compile(_ state: JSONObject, path: String) throws(StateMachineDefinition.Problem) -> [String: JSONataExpression] {
        var compiled: [String: JSONataExpression] = [:]
        func visit(_ value: JSONValue, _ location: String) throws(StateMachineDefinition.Problem) {
            switch value {
            case .string:
                guard let text = expression(in: value), compiled[text] == nil else { return }
                let expression: JSONataExpression
                do { expression = try JSONataExpression(text) } catch {
                    throw StateMachineDefinition.Problem(.invalidJSONataExpression, error.description, at: location)
                }
                if let reference = expression.unsupportedReference {
                    let message = reference == "$$" ? "Reference to '$$' is not supported." : "Reference to '\(reference)' at the top level is not supported."
                    throw StateMachineDefinition.Problem(.unsupportedJSONataExpression, message, at: location)
                }
                compiled[text] = expression
            case .object(let o): for member in o.storage { try visit(member.value, "\(location)/\(member.key)") }
            case .array(let a): for (i, item) in a.enumerated() { try visit(item, "\(location)[\(i)]") }
            default: break
            }
        }
        for field in expressionFields { if let value = state[field] { try visit(value, "\(path)/\(field)") } }
        for (i, rule) in (state["Choices"]?.arrayValue ?? []).enumerated() {
            for field in ["Condition", "Output", "Assign"] { if let value = rule[field] { try visit(value, "\(path)/Choices[\(i)]/\(field)") } }
        }
        for (i, catcher) in (state["Catch"]?.arrayValue ?? []).enumerated() {
            for field in ["Output", "Assign"] { if let value = catcher[field] { try visit(value, "\(path)/Catch[\(i)]/\(field)") } }
        }
        return compiled
    }
}

extension String {
    /// Unlike JSONPath's `trimmingSpaces`, any whitespace: a template may span lines.
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
