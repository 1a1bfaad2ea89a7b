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
