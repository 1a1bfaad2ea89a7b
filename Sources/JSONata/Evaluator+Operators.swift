/// Operators and function application.
extension Evaluator {
    func binary(_ op: String, _ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        let position = node.position
        switch op {
        case "and":
            guard try evaluate(node.lhs!, input, frame).truthy else { return .bool(false) }
            return .bool(try evaluate(node.rhs!, input, frame).truthy)
        case "or":
            if try evaluate(node.lhs!, input, frame).truthy { return .bool(true) }
            return .bool(try evaluate(node.rhs!, input, frame).truthy)
        default: break
        }
        let lhs = try evaluate(node.lhs!, input, frame)
        let rhs = try evaluate(node.rhs!, input, frame)
        switch op {
        case "+", "-", "*", "/", "%":
            if !lhs.isUndefined, lhs.numberValue == nil {
                throw JSONataError("T2001", "The left side of the \"\(op)\" operator must evaluate to a number", position: position)
            }
            if !rhs.isUndefined, rhs.numberValue == nil {
                throw JSONataError("T2002", "The right side of the \"\(op)\" operator must evaluate to a number", position: position)
            }
            guard let a = lhs.numberValue, let b = rhs.numberValue else { return .undefined }
            switch op {
            case "+": return .number(a + b)
            case "-": return .number(a - b)
            case "*": return .number(a * b)
            case "/": return .number(a / b)
            default: return .number(a.truncatingRemainder(dividingBy: b))
            }
        case "=", "!=":
            if lhs.isUndefined || rhs.isUndefined { return .bool(false) }
            let equal = lhs.deepEquals(rhs)
            return .bool(op == "=" ? equal : !equal)
        case "<", "<=", ">", ">=":
            func comparable(_ v: Value) -> Bool {
                switch v {
                case .undefined, .string, .number: return true
                default: return false
                }
            }
            guard comparable(lhs), comparable(rhs) else {
                throw JSONataError("T2010", "The expressions either side of operator \"\(op)\" must evaluate to numeric or string values", position: position)
            }
            if lhs.isUndefined || rhs.isUndefined { return .bool(false) }
            let order: Int
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): order = a == b ? 0 : (a < b ? -1 : 1)
            case (.string(let a), .string(let b)): order = a == b ? 0 : (Self.less(a, b) ? -1 : 1)
            default:
                throw JSONataError("T2009", "The values \(Self.show(lhs)) and \(Self.show(rhs)) either side of operator \"\(op)\" must be of the same data type", position: position)
            }
            switch op {
            case "<": return .bool(order < 0)
            case "<=": return .bool(order <= 0)
            case ">": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "&":
            let a = lhs.isUndefined ? "" : try Stringifier.cast(lhs, position: position)
            let b = rhs.isUndefined ? "" : try Stringifier.cast(rhs, position: position)
            try budget.built(stringOfLength: a.utf8.count + b.utf8.count)
            return .string(a + b)
        case "..":
            if !lhs.isUndefined, !Self.isInteger(lhs) {
                throw JSONataError("T2003", "The left side of the range operator (..) must evaluate to an integer", position: position)
            }
            if !rhs.isUndefined, !Self.isInteger(rhs) {
                throw JSONataError("T2004", "The right side of the range operator (..) must evaluate to an integer", position: position)
            }
            guard let a = lhs.numberValue, let b = rhs.numberValue, a <= b else { return .undefined }
            let size = b - a + 1
            if size > 1e7 {
                throw JSONataError("D2014", "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate \(NumberFormat.javaScript(size)).", position: position)
            }
            try budget.built(items: Int(size))
            return .array(Value.sequence((0..<Int(size)).map { .number(a + Double($0)) }))
        case "in":
            if lhs.isUndefined || rhs.isUndefined { return .bool(false) }
            return .bool(rhs.members.contains { $0.deepEquals(lhs) })
        default:
            throw JSONataError("S0201", "Syntax error: \"\(op)\"", position: position)
        }
    }

    static func isInteger(_ value: Value) -> Bool {
        guard case .number(let n) = value else { return false }
        return n.isFinite && n == n.rounded()
    }

    /// `lhs ~> rhs`: the left value becomes the first argument of the right function.
    func applyChain(_ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        let lhs = try evaluate(node.lhs!, input, frame)
        let rhs = node.rhs!
        if case .function = rhs.kind {
            let procedure = try evaluate(rhs.lhs!, input, frame)
            var arguments = [lhs]
            for argument in rhs.items { arguments.append(try evaluate(argument, input, frame)) }
            return try call(procedure, arguments, input, rhs)
        }
        let function = try evaluate(rhs, input, frame)
        guard case .function(let f) = function else {
            throw JSONataError("T2006", "The right side of the function application operator ~> must be a function", position: node.position)
        }
        if case .function(let g) = lhs {
            // Composition: `$f ~> $g` is the function x ↦ g(f(x)).
            return .function(Function(.native(name: "composition", signature: Signature.anything, body: { evaluator, arguments, context throws(JSONataError) in
                let inner = try evaluator.apply(g, arguments, context: context, position: node.position)
                return try evaluator.apply(f, [inner], context: context, position: node.position)
            })))
        }
        return try apply(f, [lhs], context: input, position: node.position)
    }

    func call(_ procedure: Value, _ arguments: [Value], _ input: Value, _ node: Node) throws(JSONataError) -> Value {
        guard case .function(let function) = procedure else { throw notAFunction(node) }
        return try apply(function, arguments, context: input, position: node.position)
    }

    func notAFunction(_ node: Node) -> JSONataError {
        if let procedure = node.lhs, procedure.isPath, procedure.items.count == 1, case .name(let name) = procedure.items[0].kind {
            return JSONataError("T1005", "Attempted to invoke a non-function. Did you mean ${\(name)}?", position: node.position)
        }
        return JSONataError("T1006", "Attempted to invoke a non-function", position: node.position)
    }

    func apply(_ function: Function, _ arguments: [Value], context: Value, position: Int) throws(JSONataError) -> Value {
        switch function.implementation {
        case .lambda(let parameters, let body, let closure, let input, let signature):
            var arguments = arguments
            if let signature { arguments = try signature.validate(arguments, context: context, name: "lambda", position: position) }
            let scope = Frame(parent: closure)
            for (i, name) in parameters.enumerated() { scope.bind(name, i < arguments.count ? arguments[i] : .undefined) }
            return try evaluate(body, input, scope)
        case .native(let name, let signature, let body):
            let validated = try signature.validate(arguments, context: context, name: name, position: position)
            do {
                return try body(self, validated, context)
            } catch {
                var located = error
                if located.position == 0 { located.position = position }
                throw located
            }
        case .partial(let inner, let bound):
            var filled: [Value] = []
            var next = 0
            for value in bound {
                if let value {
                    filled.append(value)
                } else {
                    filled.append(next < arguments.count ? arguments[next] : .undefined)
                    next += 1
                }
            }
            return try apply(inner, filled, context: context, position: position)
        case .regex(let pattern):
            guard case .string(let s) = arguments.first ?? .undefined else { return .undefined }
            var search = RegexSearch(pattern, in: s)
            return try search.next(&budget).map(search.object) ?? .undefined
        }
    }

    /// Calls a callback with as many of (value, index, array) as it takes.
    func callback(_ function: Function, _ value: Value, _ index: Int, _ array: Value, position: Int) throws(JSONataError) -> Value {
        let arity = function.arity
        var arguments = [value]
        if arity >= 2 { arguments.append(.number(Double(index))) }
        if arity >= 3 { arguments.append(array) }
        return try apply(function, arguments, context: value, position: position)
    }

    /// `| pattern | update, delete |`: a copy of the input where every object the pattern
    /// selects is merged with the update object and loses the deleted keys.
    func transform(_ node: Node, _ input: Value, _ frame: Frame) throws(JSONataError) -> Value {
        if input.isUndefined { return .undefined }
        // Mark the selected objects by evaluating the pattern over a copy whose objects carry
        // their location, then rebuild the copy with the updates applied at those locations.
        var updated = input
        let selected = try evaluate(node.lhs!, input, frame).members
        for target in selected {
            guard case .object = target else { continue }
            let update = try evaluate(node.rhs!, target, frame)
            var deletes: [String] = []
            if let third = node.third {
                let d = try evaluate(third, target, frame)
                for key in d.members {
                    guard case .string(let k) = key else {
                        throw JSONataError("T2012", "The third argument of the transform operator must evaluate to an array of strings", position: node.position)
                    }
                    deletes.append(k)
                }
            }
            if !update.isUndefined, case .object = update {} else if !update.isUndefined {
                throw JSONataError("T2011", "The insert/update clause of the transform expression must evaluate to an object: \(Self.show(update))", position: node.position)
            }
            updated = Self.replacing(target, in: updated) { object in
                var o = object
                if case .object(let u) = update { for (k, v) in u.members { o[k] = v } }
                for k in deletes { o[k] = nil }
                return o
            }
        }
        return updated
    }

    /// Applies `change` to every object in `value` deeply equal to `target`.
    private static func replacing(_ target: Value, in value: Value, _ change: (ValueObject) -> ValueObject) -> Value {
        if case .object(let o) = value, value.deepEquals(target) { return .object(change(o)) }
        switch value {
        case .object(let o):
            var out = ValueObject()
            for (k, v) in o.members { out[k] = replacing(target, in: v, change) }
            return .object(out)
        case .array(var a):
            a.items = a.items.map { replacing(target, in: $0, change) }
            return .array(a)
        default: return value
        }
    }
}
