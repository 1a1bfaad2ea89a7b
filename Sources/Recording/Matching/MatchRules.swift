/// How replay decides that a request is one it recorded: service, operation, resource, the
/// query (in any order) and the body compared as JSON values (members in any order), without
/// the volatile fields. Headers, dates and signatures never take part.
public struct MatchRules: Sendable, Equatable {
    public var volatileFields: [VolatileField]
    /// Whether the query takes part (S3 listings differ only there).
    public var matchQuery: Bool

    public init(volatileFields: [VolatileField] = VolatileField.defaults, matchQuery: Bool = true) {
        self.volatileFields = volatileFields
        self.matchQuery = matchQuery
    }

    public static let standard = MatchRules()
}
