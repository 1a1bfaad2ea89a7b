import JSONCore

/// The checks that belong to one kind of state, or to its Retry and Catch lists.
extension DefinitionValidator {
    mutating func retriers(_ value: JSONValue, at location: String) {
        for (o, here, isLast) in entries(value, at: location, fields: StateFieldRules.retrierFields) {
            errorEquals(o, at: here, isLast: isLast, required: ["ErrorEquals"])
            for member in o.storage {
                if let range = StateFieldRules.retryNumbers[member.key] { number(member.value, range, at: "\(here)/\(member.key)", jsonata: false) }
            }
            if let jitter = o["JitterStrategy"], jitter.stringValue.flatMap(RetryPolicy.Jitter.init(rawValue:)) == nil {
                fail("Value should be one of the following: \(Self.list(RetryPolicy.Jitter.allCases))", "\(here)/JitterStrategy")
            }
        }
    }

    mutating func catchers(_ value: JSONValue, at location: String, jsonata: Bool) {
        for (o, here, isLast) in entries(value, at: location, fields: StateFieldRules.catcherFields) {
            errorEquals(o, at: here, isLast: isLast, required: ["ErrorEquals", "Next"])
            if let next = o["Next"], next.stringValue == nil { fail("Expected value of type String", "\(here)/Next") }
            if !jsonata, case .string(let path)? = o["ResultPath"], !path.hasPrefix("$") { fail("Value must be a valid JSONPath.", "\(here)/ResultPath") }
            if let assign = o["Assign"] { variables(assign, at: "\(here)/Assign") }
        }
    }

    /// The entries of a Retry or Catch list, with their locations, once the list, each entry
    /// and its field names have been checked.
    private mutating func entries(_ value: JSONValue, at location: String, fields: Set<String>) -> [(JSONObject, String, Bool)] {
        guard case .array(let items) = value else {
            fail("Expected value of type Array", location)
            return []
        }
        var found: [(JSONObject, String, Bool)] = []
        for (i, item) in items.enumerated() {
            let here = "\(location)[\(i)]"
            guard case .object(let o) = item else {
                fail("Expected value of type Object", here)
                continue
            }
            for member in o.storage where !fields.contains(member.key) { fail("Field '\(member.key)' is not supported", here) }
            found.append((o, here, i == items.count - 1))
        }
        return found
    }

    /// A retrier's or catcher's required fields and its ErrorEquals list, where `States.ALL`
    /// may only stand alone in the last entry.
    private mutating func errorEquals(_ o: JSONObject, at location: String, isLast: Bool, required: [String]) {
        let missing = required.filter { o[$0] == nil }
        if !missing.isEmpty { fail("These fields are required: [\(missing.joined(separator: ", "))]", location) }
        guard let value = o["ErrorEquals"] else { return }
        guard case .array(let names) = value else { return fail("Expected value of type Array", "\(location)/ErrorEquals") }
        if names.isEmpty { return fail("Value cannot be empty", "\(location)/ErrorEquals") }
        if names.contains(where: { $0.stringValue == nil }) { return fail("Expected value of type String", "\(location)/ErrorEquals") }
        if names.contains(.string(StatesErrorName.all.rawValue)), names.count > 1 || !isLast {
            fail("\(StatesErrorName.all.rawValue) must appear alone and at end of list", "\(location)/ErrorEquals")
        }
    }

    mutating func task(_ o: JSONObject, at path: String) {
        guard let resourceValue = o["Resource"] else { return }
        guard let resource = resourceValue.stringValue else { return fail("Expected value of type String", "\(path)/Resource") }
        guard express else { return }
        if resource.hasSuffix(TaskResource.waitForTaskTokenSuffix) {
            fail("Express state machine does not support '.waitForTaskToken' service integration ", "\(path)/Resource")
        } else if resource.hasSuffix(".sync") || resource.contains(".sync:") {
            fail("Express state machine does not support '.sync' service integration ", "\(path)/Resource")
        }
    }

    mutating func choices(_ o: JSONObject, at path: String, jsonata: Bool) {
        if let fallback = o["Default"], fallback.stringValue == nil { fail("Expected value of type String", "\(path)/Default") }
        guard let value = o["Choices"] else { return }
        guard case .array(let rules) = value else { return fail("Expected value of type Array", "\(path)/Choices") }
        if rules.isEmpty { return fail("Value cannot be empty", "\(path)/Choices") }
        for (i, rule) in rules.enumerated() { choiceRule(rule, at: "\(path)/Choices[\(i)]", topLevel: true, jsonata: jsonata) }
    }

    private mutating func choiceRule(_ value: JSONValue, at location: String, topLevel: Bool, jsonata: Bool) {
        guard case .object(let o) = value else { return fail("Expected value of type Object", location) }
        if topLevel {
            if o["Next"] == nil { fail("These fields are required: [Next]", location) }
            if let assign = o["Assign"] { variables(assign, at: "\(location)/Assign") }
        } else if o["Next"] != nil {
            fail("Field 'Next' is not supported", location)
        }
        if jsonata { return }
        let selectors = ["And", "Or", "Not", "Variable", "Condition"].filter { o[$0] != nil }
        if selectors.count != 1 { fail("The object must have only one of the following fields, [And, Or, Not, Variable, Condition]", location) }
        for member in o.storage where StateFieldRules.choicePathFields.contains(member.key) {
            if case .string(let text) = member.value, !text.hasPrefix("$") {
                fail("Value is not a Reference Path: Reference path didn't start with '$'", "\(location)/\(member.key)")
            }
        }
        for field in ["And", "Or"] {
            guard let nested = o[field] else { continue }
            guard case .array(let rules) = nested else {
                fail("Expected value of type Array", "\(location)/\(field)")
                continue
            }
            for (i, rule) in rules.enumerated() { choiceRule(rule, at: "\(location)/\(field)[\(i)]", topLevel: false, jsonata: false) }
        }
        if let negated = o["Not"] { choiceRule(negated, at: "\(location)/Not", topLevel: false, jsonata: false) }
    }

    mutating func branches(_ o: JSONObject, at path: String) {
        guard let value = o["Branches"] else { return }
        guard case .array(let branches) = value else { return fail("Expected value of type Array", "\(path)/Branches") }
        if branches.isEmpty { return fail("Value cannot be empty", "\(path)/Branches") }
        for (i, branch) in branches.enumerated() {
            let here = "\(path)/Branches[\(i)]"
            guard case .object(let fields) = branch else {
                fail("Expected value of type Object", here)
                continue
            }
            container(fields, path: here, fields: StateFieldRules.branchFields)
        }
    }

    mutating func map(_ o: JSONObject, at path: String) {
        let key = o["ItemProcessor"] != nil ? "ItemProcessor" : "Iterator"
        guard let value = o[key] else { return }
        let here = "\(path)/\(key)"
        guard case .object(let processor) = value else { return fail("Expected value of type Object", here) }
        container(processor, path: here, fields: StateFieldRules.processorFields)
        if let config = processor["ProcessorConfig"] { processorConfig(config, at: "\(here)/ProcessorConfig") }
        if case .object(let reader)? = o["ItemReader"], case .string(let resource)? = reader["Resource"],
            !["arn:aws:states:::s3:getObject", "arn:aws:states:::s3:listObjectsV2"].contains(resource)
        {
            fail("The field 'Resource' does not match any of the allowed values", "\(path)/ItemReader/Resource")
        }
    }

    private mutating func processorConfig(_ value: JSONValue, at location: String) {
        guard case .object(let config) = value else { return fail("Expected value of type Object", location) }
        // A Mode that is not a string reads as the default, as AWS accepts it.
        guard let mode = MapState.ProcessorMode(rawValue: config["Mode"]?.stringValue ?? MapState.ProcessorMode.inline.rawValue) else {
            return fail("Value should be one of the following: \(Self.list(MapState.ProcessorMode.allCases))", "\(location)/Mode")
        }
        guard let executionType = config["ExecutionType"] else {
            if mode == .distributed { fail("These fields are required: [ExecutionType]", location) }
            return
        }
        if mode == .inline { return fail("Field 'ExecutionType' is not supported", location) }
        if executionType.stringValue.flatMap(StateMachineType.init(rawValue:)) == nil {
            fail("Value should be one of the following: \(Self.list(StateMachineType.allCases))", "\(location)/ExecutionType")
        }
    }
}
