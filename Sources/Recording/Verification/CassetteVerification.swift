/// What `recordings verify` found in a directory: problems (any of them fails it) and warnings.
public struct CassetteVerification: Sendable, Equatable {
    public var filesScanned: Int
    public var interactions: Int
    /// Files that do not parse, are missing, or hold something credential-like.
    public var problems: [VerificationFinding]
    /// Worth knowing, not wrong: JSON files the index does not list, rules that could not run.
    public var warnings: [VerificationFinding]

    public var passed: Bool { problems.isEmpty }
}
