/// Something in a file that looks like a credential: where, what kind, and a masked excerpt
/// (the first characters only, so the report does not spread the secret further).
public struct SecretFinding: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var kind: String
    public var excerpt: String

    public init(line: Int, column: Int, kind: String, excerpt: String) {
        self.line = line
        self.column = column
        self.kind = kind
        self.excerpt = excerpt
    }
}
