/// A node of a parsed JSONata expression, already in the shape the evaluator walks: a `.`
/// chain is one `path` with steps, predicates on a step are its `stages`, a name alone is a
/// one-step path.
final class Node {
    enum Kind {
        case path
        case name(String)
        case string(String)
        case number(Double)
        case literal(Token.Literal)
        case regex(Pattern)
        case variable(String)
        case wildcard
        case descendant
        case parent
        case binary(String)
        case negate
        case arrayConstructor
        case objectConstructor
        case condition
        case block
        case bind
        case apply
        case function
        case partial
        case placeholder
        case lambda
        case sort
        case transform
    }

    var kind: Kind
    let position: Int
    var lhs: Node?
    var rhs: Node?
    /// Path steps; array-constructor members; block expressions; call arguments.
    var items: [Node] = []
    /// Filters applied to each step's result (path steps) …
    var stages: [Node] = []
    /// … or to the whole value (any other node).
    var predicates: [Node] = []
    /// `{k: v}` pairs of an object constructor or a grouping.
    var pairs: [(Node, Node)] = []
    var group: [(Node, Node)]? = nil
    var keepArray = false
    var keepSingletonArray = false
    var consarray = false
    var focus: String? = nil
    var indexVariable: String? = nil
    var tuple = false
    /// A path with a `%` somewhere inside: its items carry the chain of context items they
    /// were reached through, so `%` can answer the parent.
    var tracksAncestry = false
    /// Sort terms: expression and descending.
    var terms: [(Node, Bool)] = []
    /// Lambda parameters, body and signature.
    var parameters: [String] = []
    var body: Node?
    var signature: Signature?
    /// The else branch of a condition; the delete list of a transform.
    var third: Node?

    init(_ kind: Kind, _ position: Int) {
        self.kind = kind
        self.position = position
    }

    /// The operands, path steps, members, arguments and body: every sub-expression except
    /// stages, predicates, groups and sort terms.
    var children: [Node] {
        var out: [Node] = []
        if let lhs { out.append(lhs) }
        if let rhs { out.append(rhs) }
        if let third { out.append(third) }
        if let body { out.append(body) }
        out.append(contentsOf: items)
        for (k, v) in pairs { out.append(k); out.append(v) }
        return out
    }

    var isPath: Bool { if case .path = kind { return true } else { return false } }
    var isArrayConstructor: Bool { if case .arrayConstructor = kind { return true } else { return false } }
    var isFunctionCall: Bool {
        switch kind {
        case .function, .partial: return true
        default: return false
        }
    }
}
