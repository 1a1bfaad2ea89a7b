/// The parent operator `%`. A path that contains one walks its items together with the chain
/// of context items each was reached through, and sets that chain as the evaluator's ancestry
/// while a step (and its predicates) evaluates, so `%` answers the item one level up and
/// `%.%` the one above it.
extension Evaluator {
    private struct Reached {
        var value: Value
        var ancestors: [Value]
    }

    static func noParent(_ position: Int) -> JSONataError {
        JSONataError("S0217", "The object representing the 'parent' cannot be derived from this expression", position: position)
    }

    func trackedPath(_ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        let ambient = ancestry
        defer { ancestry = ambient }
        var items: [Reached]
        if case .array(let a) = input, let first = node.items.first, !Self.startsFromVariable(first) {
            items = a.items.map { Reached(value: $0, ancestors: ambient) }
        } else {
            items = [Reached(value: input, ancestors: ambient)]
        }
        var result = Value.undefined
        let last = node.items.count - 1
        for (i, step) in node.items.enumerated() {
            var reached: [Reached] = []
            if case .sort = step.kind {
                let order = try sortOrder(step, items.map(\.value), ancestors: items.map(\.ancestors), frame)
                reached = order.map { items[$0] }
                for stage in step.stages { reached = try filter(stage, reached, frame) }
                result = .array(Value.sequence(reached.map(\.value)))
            } else {
                var produced: [(value: Value, through: [Value])] = []
                for item in items {
                    ancestry = item.ancestors
                    var value = try evaluate(step, item.value, frame)
                    var through = item.ancestors
                    if case .parent = step.kind { through.removeLast() } else { through.append(item.value) }
                    if !step.stages.isEmpty {
                        ancestry = through
                        for stage in step.stages { value = try filter(stage, value, frame) }
                    }
                    if !value.isUndefined { produced.append((value, through)) }
                }
                if i == last, produced.count == 1, case .array(let a) = produced[0].value, !a.sequence {
                    return try finishPath(node, produced[0].value, frame)
                }
                for (value, through) in produced {
                    if case .array(let a) = value, !a.cons {
                        for member in a.items { reached.append(Reached(value: member, ancestors: through)) }
                    } else {
                        reached.append(Reached(value: value, ancestors: through))
                    }
                }
                try budget.built(items: reached.count)
                result = .array(Value.sequence(reached.map(\.value)))
            }
            if reached.isEmpty { break }
            items = reached
        }
        return try finishPath(node, result, frame)
    }

    /// A predicate over reached items, each seen with its own ancestry.
    private func filter(_ predicate: Node, _ items: [Reached], _ frame: Frame) throws(JSONataError) -> [Reached] {
        var kept: [Reached] = []
        for (index, item) in items.enumerated() {
            ancestry = item.ancestors
            if try Self.predicateSelects(try evaluate(predicate, item.value, frame), index: index, count: items.count) { kept.append(item) }
        }
        return kept
    }

    private static func startsFromVariable(_ node: Node) -> Bool { if case .variable = node.kind { return true } else { return false } }
}

/// Checks, once per parse, that every `%` can have a parent, and marks the paths that contain
/// one so only they pay for tracking ancestry. The count of known ancestors grows by one per
/// step and shrinks by one per `%`; inside a function body the context is the caller's, so
/// nothing is known there and the check waits for evaluation.
enum ParentResolver {
    static func resolve(_ root: Node) throws(JSONataError) {
        _ = try visit(root, known: 0)
    }

    /// Whether `node` contains a `%`, checking each against the ancestors `known` to exist.
    @discardableResult
    private static func visit(_ node: Node, known: Int?) throws(JSONataError) -> Bool {
        var found = false
        func visitAll(_ nodes: [Node], known: Int?) throws(JSONataError) {
            for node in nodes where try visit(node, known: known) { found = true }
        }
        let groups = (node.group ?? []).flatMap { [$0.0, $0.1] }
        switch node.kind {
        case .parent:
            if let known, known < 1 { throw Evaluator.noParent(node.position) }
            found = true
        case .path:
            var depth = known
            for step in node.items {
                try visitAll([step], known: depth)
                switch step.kind {
                case .parent: depth = depth.map { $0 - 1 }
                case .sort: break
                default: depth = depth.map { $0 + 1 }
                }
                try visitAll(step.stages, known: depth)
            }
            try visitAll(groups, known: depth)
            node.tracksAncestry = found
        case .lambda:
            if let body = node.body { try visitAll([body], known: nil) }
        default:
            try visitAll(node.children + node.terms.map(\.0) + groups, known: known)
        }
        try visitAll(node.predicates, known: known)
        return found
    }
}
