/// A function signature such as `<s-nn?:s>`: the types each argument may take, which are
/// optional (`?`), repeatable (`+`) or filled from the context when left out (`-`).
struct Signature {
    struct Parameter {
        /// Type symbols: b n s l a o f j x (x and j accept anything).
        var types: Set<Character>
        /// For `a<…>`: the type every member must have.
        var memberTypes: Set<Character>? = nil
        var optional = false
        var variadic = false
        var contextDefault = false
    }

    var parameters: [Parameter] = []

    /// `<x>`: one argument of any type (the functions the evaluator makes itself).
    static let anything = try! Signature("<x>")

    init(_ text: String, position: Int = 0) throws(JSONataError) {
        var chars = Array(text)
        guard chars.first == "<", chars.last == ">" else { throw JSONataError("S0401", "Invalid function signature \(text)", position: position) }
        chars = Array(chars.dropFirst().dropLast())
        var i = 0
        func parseType() throws(JSONataError) -> (Set<Character>, Set<Character>?) {
            guard i < chars.count else { throw JSONataError("S0401", "Invalid function signature \(text)", position: position) }
            let c = chars[i]
            i += 1
            if c == "(" {
                var set: Set<Character> = []
                while i < chars.count, chars[i] != ")" {
                    set.insert(chars[i])
                    i += 1
                }
                i += 1
                return (set, nil)
            }
            if c == "a" || c == "f", i < chars.count, chars[i] == "<" {
                var depth = 0
                var inner: [Character] = []
                while i < chars.count {
                    if chars[i] == "<" { depth += 1 } else if chars[i] == ">" { depth -= 1 }
                    inner.append(chars[i])
                    i += 1
                    if depth == 0 { break }
                }
                if c == "a", inner.count >= 3 {
                    let members = inner.dropFirst().dropLast()
                    let memberSet: Set<Character> = members.first == "(" ? Set(members.dropFirst().dropLast()) : [members.first!]
                    return (["a"], memberSet)
                }
                return ([c], nil)
            }
            return ([c], nil)
        }
        while i < chars.count, chars[i] != ":" {
            let (types, members) = try parseType()
            var parameter = Parameter(types: types, memberTypes: members)
            while i < chars.count, ["?", "+", "-"].contains(chars[i]) {
                switch chars[i] {
                case "?": parameter.optional = true
                case "+": parameter.variadic = true
                default: parameter.contextDefault = true
                }
                i += 1
            }
            parameters.append(parameter)
        }
    }

    private static func symbol(_ value: Value) -> Character {
        switch value {
        case .undefined: return "m"
        case .null: return "l"
        case .bool: return "b"
        case .number: return "n"
        case .string: return "s"
        case .array: return "a"
        case .object: return "o"
        case .function: return "f"
        }
    }

    private static func accepts(_ parameter: Parameter, _ value: Value) -> Bool {
        let s = symbol(value)
        if s == "m" { return true }
        if parameter.types.contains("x") { return true }
        if parameter.types.contains("j") { return s != "f" }
        if parameter.types.contains("a") { return true }  // a non-array is wrapped
        return parameter.types.contains(s)
    }

    /// Checks `arguments` against the signature, filling a `-` parameter from `context` when
    /// the call left it out, and wrapping a lone value given for an array parameter.
    func validate(_ arguments: [Value], context: Value, name: String, position: Int) throws(JSONataError) -> [Value] {
        if let matched = try match(arguments, name: name, position: position, strict: false) { return matched }
        if let index = parameters.firstIndex(where: \.contextDefault) {
            var withContext = arguments
            withContext.insert(context, at: min(index, withContext.count))
            if let matched = try match(withContext, name: name, position: position, strict: false) { return matched }
        }
        return try match(arguments, name: name, position: position, strict: true)!
    }

    private func match(_ arguments: [Value], name: String, position: Int, strict: Bool) throws(JSONataError) -> [Value]? {
        var result: [Value] = []
        var a = 0
        func fail(_ index: Int) throws(JSONataError) -> [Value]? {
            if strict { throw JSONataError("T0410", "Argument \(index + 1) of function \"\(name)\" does not match function signature", position: position) }
            return nil
        }
        for parameter in parameters {
            if parameter.variadic {
                guard a < arguments.count, Self.accepts(parameter, arguments[a]) else {
                    if parameter.optional { continue }
                    return try fail(a)
                }
                while a < arguments.count, Self.accepts(parameter, arguments[a]) {
                    result.append(try coerce(parameter, arguments[a], index: a, name: name, position: position))
                    a += 1
                }
                continue
            }
            guard a < arguments.count else {
                if parameter.optional { continue }
                if parameter.contextDefault, !strict { return nil }
                // A missing argument is undefined, which the function handles.
                result.append(.undefined)
                continue
            }
            guard Self.accepts(parameter, arguments[a]) else {
                if parameter.optional, !strict { return nil }
                return try fail(a)
            }
            result.append(try coerce(parameter, arguments[a], index: a, name: name, position: position))
            a += 1
        }
        if a < arguments.count { return try fail(a) }
        return result
    }

    private func coerce(_ parameter: Parameter, _ value: Value, index: Int, name: String, position: Int) throws(JSONataError) -> Value {
        guard parameter.types.contains("a"), !parameter.types.contains("x"), !parameter.types.contains("j") else { return value }
        var array: ValueArray
        switch value {
        case .undefined: return value
        case .array(let a): array = a
        default:
            if parameter.types.count > 1, parameter.types.contains(Self.symbol(value)) { return value }
            array = ValueArray([value])
        }
        if let members = parameter.memberTypes, !members.contains("x") {
            for item in array.items where !members.contains(Self.symbol(item)) {
                throw JSONataError("T0412", "Argument \(index + 1) of function \"\(name)\" must be an array of \(Self.typeWord(members))", position: position)
            }
        }
        return .array(array)
    }

    private static func typeWord(_ types: Set<Character>) -> String {
        switch types.first {
        case "n": return "numbers"
        case "s": return "strings"
        case "b": return "booleans"
        case "o": return "objects"
        default: return "values"
        }
    }
}
