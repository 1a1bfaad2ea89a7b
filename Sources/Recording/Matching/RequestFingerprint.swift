import JSONCore

/// What replay compares of a request: equal fingerprints are the same request. Hashable so the
/// recorded requests are grouped once, and equal requests found in constant time.
struct RequestFingerprint: Hashable, Sendable {
    enum Body: Hashable, Sendable {
        case none
        case json(JSONValue)
        case bytes([UInt8])
    }

    var service: String
    var operation: String
    var resource: String?
    /// `name=value` items, sorted.
    var query: [String]
    var body: Body

    init(service: String, operation: String, resource: String?, request: RecordedRequest, rules: MatchRules) {
        self.service = service
        self.operation = operation
        self.resource = resource
        query = rules.matchQuery ? request.query.split(separator: "&").map(String.init).sorted() : []
        if request.body.isEmpty {
            body = .none
        } else if var value = request.body.jsonValue {
            for field in rules.volatileFields where field.applies(to: operation) { field.normalize(&value) }
            body = .json(value)
        } else {
            body = .bytes(request.body.bytes)
        }
    }

    init(_ interaction: RecordedInteraction, rules: MatchRules) {
        self.init(
            service: interaction.service, operation: interaction.operation, resource: interaction.resource, request: interaction.request,
            rules: rules)
    }
}
