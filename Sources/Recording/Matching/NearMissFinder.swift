import JSONCore

/// Finds the recorded request closest to one nothing matched, and the first field where they
/// part (WireMock's near misses, ranked the way a person would look: same service and operation
/// first, then the fewest differences).
enum NearMissFinder {
    static func miss(for query: RequestFingerprint, among recorded: [RequestFingerprint], files: [String?]) -> ReplayMiss {
        var miss = ReplayMiss(service: query.service, operation: query.operation, resource: query.resource)
        guard !recorded.isEmpty else { return miss }
        func tier(_ candidate: RequestFingerprint) -> Int {
            guard candidate.service == query.service else { return 2 }
            return candidate.operation == query.operation ? 0 : 1
        }
        let tiers = recorded.map(tier)
        let best = tiers.min()!
        var chosen = 0
        var chosenScore = Int.max
        for (i, candidate) in recorded.enumerated() where tiers[i] == best {
            let score = distance(candidate, query)
            if score < chosenScore {
                chosen = i
                chosenScore = score
            }
        }
        let candidate = recorded[chosen]
        miss.closest = ReplayMiss.Closest(
            position: chosen, file: files.indices.contains(chosen) ? files[chosen] : nil, service: candidate.service,
            operation: candidate.operation, resource: candidate.resource)
        let place = firstDifference(candidate, query)
        miss.field = place?.path
        miss.recordedValue = place?.recorded.map(render)
        miss.requestedValue = place?.requested.map(render)
        return miss
    }

    private static func distance(_ a: RequestFingerprint, _ b: RequestFingerprint) -> Int {
        var score = a.resource == b.resource ? 0 : 1
        score += Set(a.query).symmetricDifference(b.query).count
        switch (a.body, b.body) {
        case (.none, .none): break
        case (.json(let x), .json(let y)): score += JSONDifference.count(x, y)
        case (.bytes(let x), .bytes(let y)): score += x == y ? 0 : 1
        default: score += 1
        }
        return score
    }

    private static func firstDifference(_ recorded: RequestFingerprint, _ requested: RequestFingerprint) -> JSONDifference.Place? {
        func text(_ value: String?) -> JSONValue? { value.map(JSONValue.string) }
        if recorded.service != requested.service {
            return .init(path: "service", recorded: text(recorded.service), requested: text(requested.service))
        }
        if recorded.operation != requested.operation {
            return .init(path: "operation", recorded: text(recorded.operation), requested: text(requested.operation))
        }
        if recorded.resource != requested.resource {
            return .init(path: "resource", recorded: text(recorded.resource), requested: text(requested.resource))
        }
        if recorded.query != requested.query {
            return queryDifference(recorded.query, requested.query)
        }
        switch (recorded.body, requested.body) {
        case (.json(let x), .json(let y)):
            return JSONDifference.first(x, y, at: "body")
        case (.bytes(let x), .bytes(let y)) where x != y:
            return .init(path: "body", recorded: .string("\(x.count) bytes"), requested: .string("\(y.count) bytes"))
        case (let x, let y) where x != y:
            return .init(path: "body", recorded: describe(x), requested: describe(y))
        default:
            return nil
        }
    }

    private static func queryDifference(_ recorded: [String], _ requested: [String]) -> JSONDifference.Place {
        func split(_ items: [String]) -> [(String, String)] {
            items.map { item in
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
        }
        let a = split(recorded)
        let b = split(requested)
        let names = (a.map(\.0) + b.map(\.0)).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for name in names {
            let x = a.filter { $0.0 == name }.map(\.1)
            let y = b.filter { $0.0 == name }.map(\.1)
            guard x != y else { continue }
            return .init(
                path: JSONDifference.path("query", member: name), recorded: x.isEmpty ? nil : .string(x.joined(separator: ",")),
                requested: y.isEmpty ? nil : .string(y.joined(separator: ",")))
        }
        return .init(path: "query", recorded: .string(recorded.joined(separator: "&")), requested: .string(requested.joined(separator: "&")))
    }

    private static func describe(_ body: RequestFingerprint.Body) -> JSONValue? {
        switch body {
        case .none: return nil
        case .json(let value): return value
        case .bytes(let bytes): return .string("\(bytes.count) bytes")
        }
    }

    /// Compact JSON, cut to a length an error message can carry.
    static func render(_ value: JSONValue) -> String {
        let text = value.jsonString
        guard text.count > 80 else { return text }
        return String(text.prefix(77)) + "…"
    }
}
