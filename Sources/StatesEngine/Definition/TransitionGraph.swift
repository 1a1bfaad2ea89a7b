import JSONCore

/// The transition checks on one state container (a machine, a Parallel branch or a Map's item
/// processor): every StartAt and Next target exists, some state ends the workflow, and every
/// state can be reached from StartAt.
enum TransitionGraph {
    static func problems(_ container: JSONObject, path: String) -> [StateMachineDefinition.Problem] {
        // Without a StartAt the schema check has spoken; there is no graph to walk.
        guard case .object(let states)? = container["States"], let start = container["StartAt"]?.stringValue else { return [] }
        var problems: [StateMachineDefinition.Problem] = []
        func missing(_ target: String, at location: String) {
            problems.append(.init(.missingTransitionTarget, "Missing 'Next' target: \(target)", at: location))
        }
        if states[start] == nil { missing(start, at: "\(path)/StartAt") }
        var edges: [String: [String]] = [:]
        var hasTerminal = false
        for member in states.storage {
            guard case .object(let state) = member.value else { continue }
            let here = "\(path)/States/\(member.key)"
            var targets: [(String, String)] = []
            if let next = state["Next"]?.stringValue { targets.append((next, "\(here)/Next")) }
            for (i, rule) in (state["Choices"]?.arrayValue ?? []).enumerated() {
                if let next = rule["Next"]?.stringValue { targets.append((next, "\(here)/Choices[\(i)]/Next")) }
            }
            if let fallback = state["Default"]?.stringValue { targets.append((fallback, "\(here)/Default")) }
            for (i, catcher) in (state["Catch"]?.arrayValue ?? []).enumerated() {
                if let next = catcher["Next"]?.stringValue { targets.append((next, "\(here)/Catch[\(i)]/Next")) }
            }
            for (target, location) in targets where states[target] == nil { missing(target, at: location) }
            edges[member.key] = targets.map(\.0)
            let type = state["Type"]?.stringValue.flatMap(StateType.init(rawValue:))
            if state["End"]?.boolValue == true || type?.isTerminal == true { hasTerminal = true }
        }
        guard hasTerminal else {
            problems.append(.init(.missingEndState, "Workflow has no terminal state", at: nil))
            return problems
        }
        var reached: Set<String> = []
        var pending = [start]
        while let name = pending.popLast() {
            guard states[name] != nil, reached.insert(name).inserted else { continue }
            pending += edges[name] ?? []
        }
        for member in states.storage where !reached.contains(member.key) {
            problems.append(.init(.missingTransitionTarget, "State \"\(member.key)\" is not reachable.", at: "\(path)/States/\(member.key)"))
        }
        return problems
    }
}
