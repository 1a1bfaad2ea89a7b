/// A function value: a lambda with the scope it closed over, a built-in, a partial
/// application, or a regular expression (which JSONata treats as a matcher function).
final class Function {
    typealias NativeBody = (Evaluator, [Value], Value) throws(JSONataError) -> Value

    enum Implementation {
        case lambda(parameters: [String], body: Node, closure: Frame, input: Value, signature: Signature?)
        case native(name: String, signature: Signature, body: NativeBody)
        case partial(Function, [Value?])
        case regex(Pattern)
    }

    let implementation: Implementation

    init(_ implementation: Implementation) { self.implementation = implementation }

    /// How many arguments the function takes, so `$map` and friends pass only as many of
    /// (value, index, array) as it wants.
    var arity: Int {
        switch implementation {
        case .lambda(let parameters, _, _, _, _): return parameters.count
        case .native(_, let signature, _): return signature.parameters.count
        case .partial(_, let bound): return bound.filter { $0 == nil }.count
        case .regex: return 1
        }
    }

    var name: String {
        if case .native(let name, _, _) = implementation { return name }
        return "lambda"
    }
}

/// A scope of variable bindings; a block or a lambda call opens a new one over its parent.
final class Frame {
    private var bindings: [String: Value] = [:]
    let parent: Frame?

    init(parent: Frame? = nil) { self.parent = parent }

    init(bindings: [String: Value]) {
        self.bindings = bindings
        parent = nil
    }

    func lookup(_ name: String) -> Value? {
        var frame: Frame? = self
        while let f = frame {
            if let v = f.bindings[name] { return v }
            frame = f.parent
        }
        return nil
    }

    func bind(_ name: String, _ value: Value) { bindings[name] = value }
}
