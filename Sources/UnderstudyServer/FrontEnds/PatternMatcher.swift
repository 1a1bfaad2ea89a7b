import AWSWire

/// Whole-string matching against the service models' `pattern` constraints. Only control-plane
/// calls use it, so compiling per call keeps it simple (Regex values are not Sendable).
enum PatternMatcher {
    static func wholeMatch(_ value: String, _ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return true }
        return (try? regex.wholeMatch(in: value)) != nil
    }
}

/// Opaque pagination tokens: the offset into a stable listing, tagged with what it lists.
enum PaginationToken {
    static func encode(_ offset: Int, kind: String) -> String {
        Base64.encode(Array("understudy:\(kind):\(offset)".utf8))
    }

    static func decode(_ token: String, kind: String) -> Int? {
        guard let bytes = Base64.decode(token), let text = String(validating: bytes, as: UTF8.self),
            text.hasPrefix("understudy:\(kind):")
        else { return nil }
        return Int(text.dropFirst("understudy:\(kind):".count)).flatMap { $0 >= 0 ? $0 : nil }
    }
}
