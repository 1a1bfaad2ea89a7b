import AWSWire
public import JSONCore

/// What the emulator named differently from AWS, recorded ARN to emulated ARN, so a replayed
/// request that names something an earlier answer made refers to the emulator's own.
///
/// AWS generates some names (a StartExecution with no `name` gets a UUID), and the emulator
/// generates its own; without this, the DescribeExecution that follows names an execution the
/// emulator never had and every later answer is a `ExecutionDoesNotExist`, which says nothing
/// about how close the emulator's answers are.
public struct IdentifierMap: Sendable {
    /// Longest first, so an ARN that begins another is never replaced inside it first.
    public private(set) var replacements: [(recorded: String, emulated: String)] = []

    public init() {}

    /// Walks the two answers side by side and keeps every ARN at the same place that differs.
    public mutating func learn(recorded: JSONValue, emulated: JSONValue) {
        switch (recorded, emulated) {
        case (.object(let a), .object(let b)):
            for member in a { if let other = b[member.key] { learn(recorded: member.value, emulated: other) } }
        case (.array(let a), .array(let b)):
            for i in 0..<min(a.count, b.count) { learn(recorded: a[i], emulated: b[i]) }
        case (.string(let a), .string(let b)):
            guard a != b, ARN(a) != nil, ARN(b) != nil, !replacements.contains(where: { $0.recorded == a }) else { return }
            replacements.append((a, b))
            replacements.sort { $0.recorded.utf8.count > $1.recorded.utf8.count }
        default:
            break
        }
    }

    /// The request with every recorded ARN replaced by the emulator's: in the path and query
    /// (as they are, or percent-encoded as Bedrock's paths carry ARNs) and in the body.
    public func applied(to request: RecordedRequest) -> RecordedRequest {
        guard !replacements.isEmpty else { return request }
        var request = request
        request.path = replacingEncoded(request.path)
        request.query = replacingEncoded(request.query)
        switch request.body {
        case .json(let value): request.body = .json(replacing(in: value))
        case .text(let text): request.body = .text(replacing(text))
        case .empty, .binary: break
        }
        return request
    }

    private func replacing(_ text: String) -> String {
        var text = text
        for pair in replacements where text.contains(pair.recorded) { text = text.replacing(pair.recorded, with: pair.emulated) }
        return text
    }

    private func replacingEncoded(_ text: String) -> String {
        var text = replacing(text)
        for pair in replacements {
            let encoded = URIEncoding.encode(pair.recorded)
            if text.contains(encoded) { text = text.replacing(encoded, with: URIEncoding.encode(pair.emulated)) }
        }
        return text
    }

    private func replacing(in value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(replacing(text))
        case .array(let items): return .array(items.map(replacing(in:)))
        case .object(let object):
            var copy = JSONObject(minimumCapacity: object.count)
            for member in object { copy[member.key] = replacing(in: member.value) }
            return .object(copy)
        default: return value
        }
    }
}
