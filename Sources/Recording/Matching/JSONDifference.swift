import JSONCore

/// Where two JSON values part: the first place (in the recorded value's member order, then the
/// requested value's extra members) and how many places in all, for naming a near miss.
enum JSONDifference {
    struct Place: Equatable {
        var path: String
        var recorded: JSONValue?
        var requested: JSONValue?
    }

    static func first(_ recorded: JSONValue, _ requested: JSONValue, at path: String) -> Place? {
        switch (recorded, requested) {
        case (.object(let a), .object(let b)):
            for member in a {
                guard let other = b[member.key] else { return Place(path: Self.path(path, member: member.key), recorded: member.value) }
                if let place = first(member.value, other, at: Self.path(path, member: member.key)) { return place }
            }
            for member in b where !a.contains(member.key) {
                return Place(path: Self.path(path, member: member.key), requested: member.value)
            }
            return nil
        case (.array(let a), .array(let b)):
            for i in 0..<min(a.count, b.count) {
                if let place = first(a[i], b[i], at: "\(path)[\(i)]") { return place }
            }
            if a.count > b.count { return Place(path: "\(path)[\(b.count)]", recorded: a[b.count]) }
            if b.count > a.count { return Place(path: "\(path)[\(a.count)]", requested: b[a.count]) }
            return nil
        default:
            return recorded == requested ? nil : Place(path: path, recorded: recorded, requested: requested)
        }
    }

    /// How many places differ, counted up to `limit` (a near miss needs the order, not the sum).
    static func count(_ recorded: JSONValue, _ requested: JSONValue, limit: Int = 10_000) -> Int {
        var total = 0
        tally(recorded, requested, &total, limit)
        return total
    }

    private static func tally(_ a: JSONValue, _ b: JSONValue, _ total: inout Int, _ limit: Int) {
        guard total < limit else { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for member in x {
                if let other = y[member.key] { tally(member.value, other, &total, limit) } else { total += 1 }
            }
            for member in y where !x.contains(member.key) { total += 1 }
        case (.array(let x), .array(let y)):
            for i in 0..<min(x.count, y.count) { tally(x[i], y[i], &total, limit) }
            total += abs(x.count - y.count)
        default:
            if a != b { total += 1 }
        }
    }

    /// `body.messages[0].content`; a name that is not an identifier in brackets (`body["a.b"]`).
    static func path(_ base: String, member: String) -> String {
        let plain = !member.isEmpty
            && member.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
            && !(member.utf8.first! >= 0x30 && member.utf8.first! <= 0x39)
        return plain ? "\(base).\(member)" : "\(base)[\(JSONValue.string(member).jsonString)]"
    }
}
