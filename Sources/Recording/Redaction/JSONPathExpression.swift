public import JSONCore

/// The small JSONPath a redaction rule or a volatile field names values with: `$.a.b`,
/// `$['a.b']`, `$.items[0]`, `$.items[*].secret`, `$.*`, and `$..token` (a member of that name
/// at any depth). Enough to point at a member; no filters or slices, which a rule never needs.
public struct JSONPathExpression: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case member(String)
        case index(Int)
        /// Every member of an object, every element of an array.
        case wildcard
        /// A member of this name here or at any depth below.
        case descendant(String)
    }

    public let source: String
    public let steps: [Step]

    public var description: String { source }

    /// A path built in code (the default volatile fields), not parsed.
    init(source: String, steps: [Step]) {
        self.source = source
        self.steps = steps
    }

    public init(_ source: String) throws(RedactionRuleError) {
        self.source = source
        let text = Array(source.utf8)
        guard text.first == UInt8(ascii: "$") else { throw RedactionRuleError("JSON path \(source) must start with $") }
        var steps: [Step] = []
        var i = 1
        func name(from start: Int) -> (String, Int) {
            var end = start
            while end < text.count, text[end] != UInt8(ascii: "."), text[end] != UInt8(ascii: "[") { end += 1 }
            return (String(decoding: text[start..<end], as: UTF8.self), end)
        }
        while i < text.count {
            if text[i] == UInt8(ascii: "."), i + 1 < text.count, text[i + 1] == UInt8(ascii: ".") {
                let (member, end) = name(from: i + 2)
                guard !member.isEmpty, member != "*" else { throw RedactionRuleError("JSON path \(source): .. must be followed by a member name") }
                steps.append(.descendant(member))
                i = end
            } else if text[i] == UInt8(ascii: ".") {
                let (member, end) = name(from: i + 1)
                guard !member.isEmpty else { throw RedactionRuleError("JSON path \(source): a member name is missing after . at \(i)") }
                steps.append(member == "*" ? .wildcard : .member(member))
                i = end
            } else if text[i] == UInt8(ascii: "[") {
                guard let close = text[(i + 1)...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw RedactionRuleError("JSON path \(source): [ at \(i) is not closed")
                }
                let inside = String(decoding: text[(i + 1)..<close], as: UTF8.self)
                if inside == "*" {
                    steps.append(.wildcard)
                } else if let number = Int(inside), number >= 0 {
                    steps.append(.index(number))
                } else if inside.count >= 2, let quote = inside.first, quote == "'" || quote == "\"", inside.last == quote {
                    steps.append(.member(String(inside.dropFirst().dropLast())))
                } else {
                    throw RedactionRuleError("JSON path \(source): [\(inside)] is not an index, * or a quoted name")
                }
                i = close + 1
            } else {
                throw RedactionRuleError("JSON path \(source): unexpected \"\(Character(UnicodeScalar(text[i])))\" at \(i)")
            }
        }
        guard !steps.isEmpty else { throw RedactionRuleError("JSON path \(source) names the whole document; name a member") }
        self.steps = steps
    }

    /// Replaces every value the path selects by `change(value)`; nil removes an object member
    /// (an array element becomes null, so the others keep their places). Returns whether the
    /// path selected anything.
    @discardableResult
    public func rewrite(_ value: inout JSONValue, _ change: (JSONValue) -> JSONValue?) -> Bool {
        rewrite(&value, from: 0, change)
    }

    private func rewrite(_ value: inout JSONValue, from position: Int, _ change: (JSONValue) -> JSONValue?) -> Bool {
        guard position < steps.count else { return false }
        let last = position == steps.count - 1
        func visit(_ child: inout JSONValue) -> (selected: Bool, remove: Bool) {
            if last {
                guard let replacement = change(child) else { return (true, true) }
                child = replacement
                return (true, false)
            }
            return (rewrite(&child, from: position + 1, change), false)
        }
        switch (steps[position], value) {
        case (.member(let name), .object(var object)):
            guard var child = object[name] else { return false }
            let outcome = visit(&child)
            object[name] = outcome.remove ? nil : child
            value = .object(object)
            return outcome.selected
        case (.index(let index), .array(var array)):
            guard array.indices.contains(index) else { return false }
            let outcome = visit(&array[index])
            if outcome.remove { array[index] = .null }
            value = .array(array)
            return outcome.selected
        case (.wildcard, .object(var object)):
            var selected = false
            for key in object.keys {
                guard var child = object[key] else { continue }
                let outcome = visit(&child)
                selected = selected || outcome.selected
                object[key] = outcome.remove ? nil : child
            }
            value = .object(object)
            return selected
        case (.wildcard, .array(var array)):
            var selected = false
            for i in array.indices {
                let outcome = visit(&array[i])
                selected = selected || outcome.selected
                if outcome.remove { array[i] = .null }
            }
            value = .array(array)
            return selected
        case (.descendant(let name), .object(var object)):
            var selected = false
            for key in object.keys {
                guard var child = object[key] else { continue }
                if key == name {
                    let outcome = visit(&child)
                    selected = selected || outcome.selected
                    if outcome.remove {
                        object[key] = nil
                        continue
                    }
                }
                // Deeper members of the same name are selected too (the value may have changed).
                selected = rewrite(&child, from: position, change) || selected
                object[key] = child
            }
            value = .object(object)
            return selected
        case (.descendant, .array(var array)):
            var selected = false
            for i in array.indices { selected = rewrite(&array[i], from: position, change) || selected }
            value = .array(array)
            return selected
        default:
            return false
        }
    }
}
