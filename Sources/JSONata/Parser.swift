/// A Pratt parser for JSONata that builds the evaluator's node shapes directly.
struct Parser {
    private var lexer: Lexer
    private var current: Token
    private var depth = 0
    /// Deeper nesting than this is refused rather than recursing off the stack.
    private static let maximumDepth = 300

    /// Left binding powers of the infix operators.
    private static let bindingPower: [String: Int] = [
        ".": 75, "[": 80, "{": 70, "(": 80, "@": 80, "#": 80, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60,
        "=": 40, "<": 40, ">": 40, "^": 40, "..": 20, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40,
        "and": 30, "or": 25, "in": 40, "&": 50,
    ]

    static func parse(_ text: String) throws(JSONataError) -> Node {
        var parser = try Parser(text)
        let node = try parser.expression(0)
        guard case .end = parser.current.kind else {
            throw JSONataError("S0201", "Syntax error: \(parser.describe(parser.current))", position: parser.current.position)
        }
        try ParentResolver.resolve(node)
        return node
    }

    private init(_ text: String) throws(JSONataError) {
        lexer = Lexer(text)
        current = Token(kind: .end, position: 0)
        current = try lexer.next()
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .op(let o): return "\"\(o)\""
        case .string(let s): return "\"\(s)\""
        case .number(let n): return NumberFormat.javaScript(n)
        case .name(let n): return "\"\(n)\""
        case .variable(let v): return "\"$\(v)\""
        case .literal(let l): return "\"\(l)\""
        case .regex(let p, _): return "\"/\(p)/\""
        case .end: return "(end)"
        }
    }

    private mutating func advance() throws(JSONataError) { current = try lexer.next() }

    private func isOp(_ op: String) -> Bool { current.kind == .op(op) }

    private mutating func expect(_ op: String) throws(JSONataError) {
        guard isOp(op) else {
            if case .end = current.kind {
                throw JSONataError("S0203", "Expected \"\(op)\" before end of expression", position: current.position)
            }
            throw JSONataError("S0202", "Expected \"\(op)\", got \(describe(current))", position: current.position)
        }
        try advance()
    }

    private var leftBindingPower: Int {
        if case .op(let o) = current.kind { return Self.bindingPower[o] ?? 0 }
        return 0
    }

    mutating func expression(_ rbp: Int) throws(JSONataError) -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw JSONataError("S0201", "Syntax error: the expression is nested more than \(Self.maximumDepth) levels deep", position: current.position)
        }
        let token = current
        try advance()
        var left = try prefix(token)
        while rbp < leftBindingPower {
            let op = current
            try advance()
            left = try infix(op, left)
        }
        return left
    }

    // MARK: prefix

    private mutating func prefix(_ token: Token) throws(JSONataError) -> Node {
        let position = token.position
        switch token.kind {
        case .number(let n): return Node(.number(n), position)
        case .string(let s): return Node(.string(s), position)
        case .literal(let l): return Node(.literal(l), position)
        case .regex(let pattern, let flags): return Node(.regex(try Pattern(source: pattern, flags: flags, position: position)), position)
        case .variable(let v): return Node(.variable(v), position)
        case .name(let n):
            if n == "function" || n == "λ", isOp("(") { return try lambda(position) }
            let path = Node(.path, position)
            path.items = [Node(.name(n), position)]
            return path
        case .end:
            throw JSONataError("S0207", "Unexpected end of expression", position: position)
        case .op(let op):
            switch op {
            case "-":
                let operand = try expression(70)
                if case .number(let n) = operand.kind { return Node(.number(-n), position) }
                let node = Node(.negate, position)
                node.lhs = operand
                return node
            case "*": return Node(.wildcard, position)
            case "**": return Node(.descendant, position)
            case "%": return Node(.parent, position)
            case "(":
                let block = Node(.block, position)
                while !isOp(")") {
                    block.items.append(try expression(0))
                    if !isOp(";") { break }
                    try advance()
                }
                try expect(")")
                return block
            case "[":
                let array = Node(.arrayConstructor, position)
                if !isOp("]") {
                    while true {
                        array.items.append(try expression(0))
                        if !isOp(",") { break }
                        try advance()
                    }
                }
                try expect("]")
                return array
            case "{":
                let object = Node(.objectConstructor, position)
                object.pairs = try pairs()
                return object
            case "|":
                let transform = Node(.transform, position)
                transform.lhs = try expression(0)
                try expect("|")
                transform.rhs = try expression(0)
                if isOp(",") {
                    try advance()
                    transform.third = try expression(0)
                }
                try expect("|")
                return transform
            default:
                throw JSONataError("S0211", "The symbol \"\(op)\" cannot be used as a unary operator", position: position)
            }
        }
    }

    /// `key: value` pairs up to the closing `}` (the `{` is consumed).
    private mutating func pairs() throws(JSONataError) -> [(Node, Node)] {
        var result: [(Node, Node)] = []
        if !isOp("}") {
            while true {
                let key = try expression(0)
                try expect(":")
                let value = try expression(0)
                result.append((key, value))
                if !isOp(",") { break }
                try advance()
            }
        }
        try expect("}")
        return result
    }

    private mutating func lambda(_ position: Int) throws(JSONataError) -> Node {
        try expect("(")
        let node = Node(.lambda, position)
        while !isOp(")") {
            guard case .variable(let name) = current.kind else {
                throw JSONataError("S0208", "Parameter \(describe(current)) of function definition must be a variable name (start with $)", position: current.position)
            }
            node.parameters.append(name)
            try advance()
            if !isOp(",") { break }
            try advance()
        }
        try expect(")")
        if isOp("<") {
            let text = try lexer.signature(from: current.position)
            node.signature = try Signature(text, position: current.position)
            try advance()
        }
        try expect("{")
        node.body = try expression(0)
        try expect("}")
        return node
    }

    // MARK: infix

    private mutating func infix(_ token: Token, _ left: Node) throws(JSONataError) -> Node {
        guard case .op(let op) = token.kind else { throw JSONataError("S0201", "Syntax error: \(describe(token))", position: token.position) }
        let position = token.position
        switch op {
        case ".":
            return try pathStep(left, try expression(75), position)
        case "[":
            if isOp("]") {
                try advance()
                if left.isPath, let last = left.items.last {
                    last.keepArray = true
                    left.keepSingletonArray = true
                } else {
                    left.keepArray = true
                }
                return left
            }
            let predicate = try expression(0)
            try expect("]")
            if left.isPath, let last = left.items.last {
                if last.group != nil { throw JSONataError("S0209", "A predicate cannot follow a grouping expression in a step", position: position) }
                last.stages.append(predicate)
            } else {
                if left.group != nil { throw JSONataError("S0209", "A predicate cannot follow a grouping expression in a step", position: position) }
                left.predicates.append(predicate)
            }
            return left
        case "{":
            if left.group != nil { throw JSONataError("S0210", "Each step can only have one grouping expression", position: position) }
            left.group = try pairs()
            return left
        case "(":
            var arguments: [Node] = []
            var partial = false
            while !isOp(")") {
                if isOp("?") {
                    arguments.append(Node(.placeholder, current.position))
                    partial = true
                    try advance()
                } else {
                    arguments.append(try expression(0))
                }
                if !isOp(",") { break }
                try advance()
            }
            try expect(")")
            let call = Node(partial ? .partial : .function, position)
            call.lhs = left
            call.items = arguments
            return call
        case "^":
            try expect("(")
            let sort = Node(.sort, position)
            while true {
                var descending = false
                if isOp("<") {
                    try advance()
                } else if isOp(">") {
                    descending = true
                    try advance()
                }
                sort.terms.append((try expression(0), descending))
                if !isOp(",") { break }
                try advance()
            }
            try expect(")")
            let path = left.isPath ? left : Self.path([left], position)
            path.items.append(sort)
            return path
        case "?":
            let condition = Node(.condition, position)
            condition.lhs = left
            condition.rhs = try expression(0)
            if isOp(":") {
                try advance()
                condition.third = try expression(0)
            }
            return condition
        case ":=":
            guard case .variable = left.kind else {
                throw JSONataError("S0212", "The left side of := must be a variable name (start with $)", position: position)
            }
            let bind = Node(.bind, position)
            bind.lhs = left
            bind.rhs = try expression(9)
            return bind
        case "~>":
            let apply = Node(.apply, position)
            apply.lhs = left
            apply.rhs = try expression(40)
            return apply
        case "@", "#":
            guard case .variable(let name) = current.kind else {
                throw JSONataError("S0214", "The right side of \(op) must be a variable name (start with $)", position: current.position)
            }
            try advance()
            let path = left.isPath ? left : Self.path([left], position)
            let step = path.items[path.items.count - 1]
            if op == "@" {
                if !step.stages.isEmpty || !step.predicates.isEmpty {
                    throw JSONataError("S0215", "A context variable binding must precede any predicates on a step", position: position)
                }
                if case .sort = step.kind { throw JSONataError("S0216", "A context variable binding must precede the 'order-by' clause on a step", position: position) }
                step.focus = name
            } else {
                step.indexVariable = name
            }
            step.tuple = true
            return path
        default:
            let binary = Node(.binary(op), position)
            binary.lhs = left
            binary.rhs = try expression(Self.bindingPower[op] ?? 0)
            return binary
        }
    }

    private static func path(_ steps: [Node], _ position: Int) -> Node {
        let path = Node(.path, position)
        path.items = steps
        return path
    }

    /// `left.right`: one path whose steps are both sides' steps.
    private func pathStep(_ left: Node, _ right: Node, _ position: Int) throws(JSONataError) -> Node {
        let path = left.isPath ? left : Self.path([left], position)
        if right.isPath {
            path.items.append(contentsOf: right.items)
            if right.group != nil { path.group = right.group }
        } else {
            if !right.predicates.isEmpty {
                right.stages = right.predicates
                right.predicates = []
            }
            path.items.append(right)
        }
        for step in path.items {
            switch step.kind {
            case .number(let n):
                throw JSONataError("S0213", "The literal value \(NumberFormat.javaScript(n)) cannot be used as a step within a path expression", position: step.position)
            case .literal(let l):
                throw JSONataError("S0213", "The literal value \(l) cannot be used as a step within a path expression", position: step.position)
            case .string(let s):
                step.kind = .name(s)
            default: break
            }
        }
        if let first = path.items.first, first.isArrayConstructor { first.consarray = true }
        if let last = path.items.last, last.isArrayConstructor { last.consarray = true }
        if path.items.contains(where: \.keepArray) { path.keepSingletonArray = true }
        return path
    }
}
