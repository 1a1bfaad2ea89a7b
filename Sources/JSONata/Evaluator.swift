/// Walks a parsed expression. One evaluator serves one evaluation: it carries the clock
/// reading `$now()` sees, the random source, the nesting depth guard, and the evaluation's
/// budget of steps, built values and regex steps.
final class Evaluator {
    let nowMillis: Int64
    let random: () -> UInt64
    var budget = EvaluationBudget()
    private var depth = 0
    /// The context items the current context item was reached through, nearest last: what
    /// `%` reads. Only paths that contain a `%` maintain it.
    var ancestry: [Value] = []
    /// Deeper than this is a runaway recursion, reported as JSONata reports one rather than
    /// overflowing the thread's stack.
    static let maximumDepth = 300
    /// Where the evaluation's stack began, for builds whose frames would overflow the thread
    /// before `maximumDepth` (see `StackGuard`).
    private var stackGuard = StackGuard()
    /// Every frame a lambda or transform captured, released when the evaluation ends (see
    /// `Frame`).
    private(set) var capturedFrames: [CapturedFrame] = []

    init(nowMillis: Int64, random: @escaping () -> UInt64) {
        self.nowMillis = nowMillis
        self.random = random
    }

    /// Evaluates a whole expression in `frame`, then releases the frames its closures
    /// captured, whether it succeeded or threw: nothing of it outlives the evaluation.
    func run(_ root: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        defer { releaseCapturedFrames() }
        stackGuard = StackGuard()
        return try evaluate(root, input, frame)
    }

    /// `frame`, noted as captured by a closure made now.
    private func captured(_ frame: Frame) -> Frame {
        capturedFrames.append(CapturedFrame(frame: frame))
        return frame
    }

    private func releaseCapturedFrames() {
        for captured in capturedFrames { captured.frame?.release() }
    }

    func evaluate(_ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        try budget.step()
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth || (depth > StackGuard.uncheckedDepth && stackGuard.isExhausted()) {
            throw JSONataError("U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.", position: node.position)
        }
        var result = try evaluateKind(node, input, frame)
        for predicate in node.predicates { result = try filter(predicate, result, frame) }
        if !node.isPath, let group = node.group { result = try groupBy(group, result, frame) }
        if case .array(var a) = result, a.sequence {
            if node.keepArray { a.keepSingleton = true }
            if a.isEmpty { return .undefined }
            if a.count == 1, !a.keepSingleton { return a.items[0] }
            return .array(a)
        }
        return result
    }

    private func evaluateKind(_ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        switch node.kind {
        case .path: return try evaluatePath(node, input, frame)
        case .name(let key): return Self.lookup(input, key)
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .literal(let l):
            switch l {
            case .true: return .bool(true)
            case .false: return .bool(false)
            case .null: return .null
            }
        case .regex(let pattern): return .function(Function(.regex(pattern)))
        case .variable(let name):
            if name.isEmpty { return input }
            if let bound = frame.lookup(name) { return bound }
            if let builtin = Builtins.table[name] { return .function(builtin) }
            return .undefined
        case .wildcard: return Self.wildcard(input)
        case .descendant:
            var found: [Value] = []
            if !input.isUndefined { Self.descendants(input, into: &found) }
            return found.count == 1 ? found[0] : .array(Value.sequence(found))
        case .parent:
            guard let parent = ancestry.last else { throw Self.noParent(node.position) }
            return parent
        case .binary(let op): return try binary(op, node, input, frame)
        case .negate:
            let value = try evaluate(node.lhs!, input, frame)
            switch value {
            case .undefined: return .undefined
            case .number(let n): return .number(-n)
            default: throw JSONataError("D1002", "Cannot negate a non-numeric value: \(Self.show(value))", position: node.position)
            }
        case .arrayConstructor:
            var items: [Value] = []
            for item in node.items {
                let value = try evaluate(item, input, frame)
                if value.isUndefined { continue }
                if item.isArrayConstructor {
                    items.append(value)
                } else if case .array(let a) = value {
                    if items.isEmpty {
                        // Shares the array's storage: `[1..n]` copies nothing.
                        items = a.items
                    } else {
                        try budget.built(items: a.count)
                        items.append(contentsOf: a.items)
                    }
                } else {
                    items.append(value)
                }
            }
            var array = ValueArray(items)
            array.cons = node.consarray
            return .array(array)
        case .objectConstructor: return try groupBy(node.pairs, input, frame)
        case .condition:
            if try evaluate(node.lhs!, input, frame).truthy { return try evaluate(node.rhs!, input, frame) }
            if let otherwise = node.third { return try evaluate(otherwise, input, frame) }
            return .undefined
        case .block:
            let scope = Frame(parent: frame)
            var result = Value.undefined
            for item in node.items { result = try evaluate(item, input, scope) }
            return result
        case .bind:
            guard case .variable(let name) = node.lhs!.kind else { return .undefined }
            let value = try evaluate(node.rhs!, input, frame)
            frame.bind(name, value)
            return value
        case .apply: return try applyChain(node, input, frame)
        case .function:
            let procedure = try evaluate(node.lhs!, input, frame)
            var arguments: [Value] = []
            arguments.reserveCapacity(node.items.count)
            for argument in node.items { arguments.append(try evaluate(argument, input, frame)) }
            return try call(procedure, arguments, input, node)
        case .partial:
            let procedure = try evaluate(node.lhs!, input, frame)
            guard case .function(let function) = procedure else { throw notAFunction(node) }
            var bound: [Value?] = []
            for argument in node.items {
                if case .placeholder = argument.kind { bound.append(nil) } else { bound.append(try evaluate(argument, input, frame)) }
            }
            return .function(Function(.partial(function, bound)))
        case .placeholder:
            throw JSONataError("S0211", "The symbol \"?\" cannot be used as a unary operator", position: node.position)
        case .lambda:
            return .function(Function(.lambda(parameters: node.parameters, body: node.body!, closure: captured(frame), input: input, signature: node.signature)))
        case .sort:
            return try sort(node, input.members, frame)
        case .transform:
            let frame = captured(frame)
            return .function(Function(.native(name: "transform", signature: Signature.anything, body: { evaluator, arguments, _ throws(JSONataError) in
                try evaluator.transform(node, arguments.first ?? .undefined, frame)
            })))
        }
    }

    // MARK: paths

    private struct Tuple {
        var value: Value
        var bindings: [String: Value]
    }

    private func evaluatePath(_ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        if node.tracksAncestry, !node.items.contains(where: \.tuple) { return try trackedPath(node, input, frame) }
        if let direct = try directPath(node, input, frame) { return direct }
        var inputItems: [Value]
        if case .array(let a) = input, let first = node.items.first, !Self.isVariable(first) {
            inputItems = a.items
        } else {
            inputItems = [input]
        }
        var result = Value.undefined
        var tuples: [Tuple]? = nil
        let last = node.items.count - 1
        for (i, step) in node.items.enumerated() {
            if step.tuple, tuples == nil { tuples = inputItems.map { Tuple(value: $0, bindings: [:]) } }
            if var stream = tuples {
                stream = try tupleStep(step, stream, frame)
                tuples = stream
                result = .array(Value.sequence(stream.map(\.value)))
                continue
            }
            if i == 0, step.consarray {
                result = try evaluate(step, .array(ValueArray(inputItems, sequence: true)), frame)
            } else {
                result = try evaluateStep(step, inputItems, frame, lastStep: i == last)
            }
            if result.isUndefined { break }
            if case .array(let a) = result, a.isEmpty { break }
            inputItems = result.members
        }
        return try finishPath(node, result, frame)
    }

    /// What a path does with its last step's result: `[]` keeps a singleton array, `{…}` groups.
    func finishPath(_ node: Node, _ value: Value, _ frame: Frame) throws(JSONataError) -> Value {
        var result = value
        if node.keepSingletonArray, case .array(var a) = result {
            if a.cons, !a.sequence { a = ValueArray([.array(a)], sequence: true) }
            a.keepSingleton = true
            result = .array(a)
        }
        if let group = node.group { result = try groupBy(group, result, frame) }
        return result
    }

    /// The common `$states.input.a.b[0]` shape walked without building sequences: named
    /// steps through single objects, at most literal indexes. Nil means "take the general
    /// path" (an array on the way, or any step this walk does not model).
    private func directPath(_ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value? {
        guard node.group == nil, !node.keepSingletonArray else { return nil }
        var current = Value.undefined
        for (i, step) in node.items.enumerated() {
            guard !step.tuple, !step.keepArray, step.predicates.isEmpty, step.group == nil else { return nil }
            switch step.kind {
            case .variable where i == 0:
                current = try evaluate(step, input, frame)
            case .name(let key):
                let from = i == 0 ? input : current
                switch from {
                case .object(let o): current = o[key] ?? .undefined
                case .array: return nil
                default: return .undefined
                }
            default: return nil
            }
            for stage in step.stages {
                guard case .number(let n) = stage.kind else { return nil }
                var index = Int(saturating: n.rounded(.down))
                switch current {
                case .array(let a):
                    if index < 0 { index += a.count }
                    current = a.items.indices.contains(index) ? a.items[index] : .undefined
                case .undefined: break
                default: current = index == 0 || index == -1 ? current : .undefined
                }
            }
            if current.isUndefined { return .undefined }
            if i < node.items.count - 1, current.isArray { return nil }
        }
        if case .array(let a) = current, a.sequence { return nil }
        return current
    }

    private static func isVariable(_ node: Node) -> Bool { if case .variable = node.kind { return true } else { return false } }

    private func evaluateStep(_ step: Node, _ input: [Value], _ frame: Frame, lastStep: Bool) throws(JSONataError) -> Value {
        if case .sort = step.kind {
            var sorted = try sort(step, input, frame)
            for stage in step.stages { sorted = try filter(stage, sorted, frame) }
            return sorted
        }
        var results: [Value] = []
        for item in input {
            var value = try evaluate(step, item, frame)
            for stage in step.stages { value = try filter(stage, value, frame) }
            if value.isUndefined { continue }
            // Counted as they come, so a cross join stops before it is flattened.
            if case .array(let a) = value { try budget.built(items: a.count) } else { try budget.built(items: 1) }
            results.append(value)
        }
        if lastStep, results.count == 1, case .array(let a) = results[0], !a.sequence { return results[0] }
        var flat: [Value] = []
        for value in results {
            if case .array(let a) = value, !a.cons { flat.append(contentsOf: a.items) } else { flat.append(value) }
        }
        return .array(Value.sequence(flat))
    }

    /// A step once a `@` or `#` binding is in play: each value travels with its bindings.
    private func tupleStep(_ step: Node, _ input: [Tuple], _ frame: Frame) throws(JSONataError) -> [Tuple] {
        var output: [Tuple] = []
        if case .sort = step.kind {
            let sorted = try sort(step, input.map(\.value), frame).members
            output = sorted.map { Tuple(value: $0, bindings: input.first?.bindings ?? [:]) }
        } else {
            for tuple in input {
                let scope = Self.scope(frame, tuple.bindings)
                let value = try evaluate(step, tuple.value, scope)
                let members = value.members
                try budget.built(items: members.count)
                for (i, item) in members.enumerated() {
                    var next = tuple
                    if let focus = step.focus { next.bindings[focus] = item } else { next.value = item }
                    if let index = step.indexVariable { next.bindings[index] = .number(Double(i)) }
                    output.append(next)
                }
            }
        }
        for stage in step.stages {
            var kept: [Tuple] = []
            for (index, tuple) in output.enumerated() {
                let scope = Self.scope(frame, tuple.bindings)
                if try Self.predicateSelects(try evaluate(stage, tuple.value, scope), index: index, count: output.count) { kept.append(tuple) }
            }
            output = kept
        }
        return output
    }

    private static func scope(_ frame: Frame, _ bindings: [String: Value]) -> Frame {
        guard !bindings.isEmpty else { return frame }
        let scope = Frame(parent: frame)
        for (name, value) in bindings { scope.bind(name, value) }
        return scope
    }

    static func lookup(_ input: Value, _ key: String) -> Value {
        switch input {
        case .object(let o): return o[key] ?? .undefined
        case .array(let a):
            var out = Value.sequence()
            for item in a.items {
                let found = lookup(item, key)
                if case .array(let inner) = found { out.items.append(contentsOf: inner.items) } else if !found.isUndefined { out.append(found) }
            }
            return .array(out)
        default: return .undefined
        }
    }

    private static func wildcard(_ input: Value) -> Value {
        var out = Value.sequence()
        switch input {
        case .object(let o):
            for (_, value) in o.members {
                if case .array = value { flatten(value, into: &out.items) } else { out.append(value) }
            }
        case .array(let a):
            for value in a.items {
                if case .array = value { flatten(value, into: &out.items) } else { out.append(value) }
            }
        default: break
        }
        return .array(out)
    }

    static func flatten(_ value: Value, into out: inout [Value]) {
        if case .array(let a) = value {
            for item in a.items { flatten(item, into: &out) }
        } else {
            out.append(value)
        }
    }

    private static func descendants(_ value: Value, into out: inout [Value]) {
        if !value.isArray { out.append(value) }
        switch value {
        case .array(let a): for item in a.items { descendants(item, into: &out) }
        case .object(let o): for (_, v) in o.members { descendants(v, into: &out) }
        default: break
        }
    }

    // MARK: predicates, grouping, sorting

    func filter(_ predicate: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        if input.isUndefined { return .undefined }
        let items = input.members
        var results = Value.sequence()
        if case .number(let n) = predicate.kind {
            var index = Int(saturating: n.rounded(.down))
            if index < 0 { index += items.count }
            if items.indices.contains(index) {
                if case .array(let a) = items[index] { return .array(a) }
                results.append(items[index])
            }
            return .array(results)
        }
        for (index, item) in items.enumerated() where try Self.predicateSelects(try evaluate(predicate, item, frame), index: index, count: items.count) {
            results.append(item)
        }
        return .array(results)
    }

    /// A predicate's value selects by position when it is a number (or numbers), else by truth.
    static func predicateSelects(_ value: Value, index: Int, count: Int) throws(JSONataError) -> Bool {
        var numbers: [Double]? = nil
        switch value {
        case .number(let n): numbers = [n]
        case .array(let a) where !a.isEmpty && a.items.allSatisfy({ $0.numberValue != nil }): numbers = a.items.compactMap(\.numberValue)
        default: break
        }
        if let numbers {
            for n in numbers {
                var i = Int(saturating: n.rounded(.down))
                if i < 0 { i += count }
                if i == index { return true }
            }
            return false
        }
        return value.truthy
    }

    func groupBy(_ pairs: [(Node, Node)], _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        var items = input.members
        if case .array(let a) = input, a.isEmpty { items = [] }
        if items.isEmpty { items = [.undefined] }
        var order: [String] = []
        var groups: [String: (data: Value, pair: Int)] = [:]
        for item in items {
            for (p, pair) in pairs.enumerated() {
                let key = try evaluate(pair.0, item, frame)
                if key.isUndefined { continue }
                guard case .string(let k) = key else {
                    throw JSONataError("T1003", "Key in object structure must evaluate to a string; got: \(Self.show(key))", position: pair.0.position)
                }
                if let existing = groups[k] {
                    if existing.pair != p { throw JSONataError("D1009", "Multiple key definitions evaluate to same key: \"\(k)\"", position: pair.0.position) }
                    groups[k] = (Self.append(existing.data, item), p)
                } else {
                    order.append(k)
                    groups[k] = (item, p)
                }
            }
        }
        var result = ValueObject()
        for key in order {
            let entry = groups[key]!
            let value = try evaluate(pairs[entry.pair].1, entry.data, frame)
            if !value.isUndefined { result[key] = value }
        }
        return .object(result)
    }

    static func append(_ a: Value, _ b: Value) -> Value {
        if a.isUndefined { return b }
        if b.isUndefined { return a }
        var items = a.members
        if case .array(let ba) = b { items.append(contentsOf: ba.items) } else { items.append(b) }
        return .array(ValueArray(items))
    }

    private func sort(_ node: Node, _ input: [Value], _ frame: Frame) throws(JSONataError) -> Value {
        let order = try sortOrder(node, input, ancestors: nil, frame)
        return .array(Value.sequence(order.map { input[$0] }))
    }

    /// The positions of `input` in the order-by clause's order. With `ancestors`, each item's
    /// sort terms see that item's own ancestry (`%`).
    func sortOrder(_ node: Node, _ input: [Value], ancestors: [[Value]]?, _ frame: Frame) throws(JSONataError) -> [Int] {
        // Sort keys are computed once per item, then a stable merge sort orders them.
        var keyed: [(Int, [Value])] = []
        let saved = ancestry
        defer { ancestry = saved }
        for (index, item) in input.enumerated() {
            if let ancestors { ancestry = ancestors[index] }
            var keys: [Value] = []
            for (term, _) in node.terms { keys.append(try evaluate(term, item, frame)) }
            keyed.append((index, keys))
        }
        var failure: JSONataError? = nil
        let descending = node.terms.map(\.1)
        func before(_ a: [Value], _ b: [Value]) -> Bool {
            for (i, isDescending) in descending.enumerated() {
                let x = a[i], y = b[i]
                var comparison = 0
                switch (x, y) {
                case (.undefined, .undefined): continue
                case (.undefined, _): comparison = 1
                case (_, .undefined): comparison = -1
                case (.number(let p), .number(let q)): comparison = p == q ? 0 : (p < q ? -1 : 1)
                case (.string(let p), .string(let q)): comparison = p == q ? 0 : (Self.less(p, q) ? -1 : 1)
                case (.number, .string), (.string, .number):
                    failure = failure ?? JSONataError("T2007", "Type mismatch when comparing values \(Self.show(x)) and \(Self.show(y)) in order-by clause", position: node.position)
                    return false
                default:
                    failure = failure ?? JSONataError("T2008", "The expressions within an order-by clause must evaluate to numeric or string values", position: node.position)
                    return false
                }
                if comparison == 0 { continue }
                if isDescending { comparison = -comparison }
                return comparison < 0
            }
            return false
        }
        let sorted = Self.stableSort(keyed) { before($0.1, $1.1) }
        if let failure { throw failure }
        return sorted.map(\.0)
    }

    static func stableSort<T>(_ items: [T], by before: (T, T) -> Bool) -> [T] {
        guard items.count > 1 else { return items }
        let middle = items.count / 2
        let left = stableSort(Array(items[..<middle]), by: before)
        let right = stableSort(Array(items[middle...]), by: before)
        var out: [T] = []
        out.reserveCapacity(items.count)
        var i = 0, j = 0
        while i < left.count, j < right.count {
            if before(right[j], left[i]) {
                out.append(right[j])
                j += 1
            } else {
                out.append(left[i])
                i += 1
            }
        }
        out.append(contentsOf: left[i...])
        out.append(contentsOf: right[j...])
        return out
    }

    /// JavaScript string order: by UTF-16 code units.
    static func less(_ a: String, _ b: String) -> Bool { a.utf16.lexicographicallyPrecedes(b.utf16) }

    /// A value as error messages quote it.
    static func show(_ value: Value) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .undefined: return "undefined"
        default: return Stringifier.string(value)
        }
    }
}
