import JSONCore

/// A request member that differs from call to call without changing what is asked (an
/// idempotency token, an execution name an SDK made up), left out when requests are compared
/// for replay.
public struct VolatileField: Sendable, Equatable {
    public enum Condition: Sendable, Equatable {
        /// The member is ignored whatever it holds.
        case always
        /// Ignored only when it looks generated (a UUID, as SDKs and tools make names), so two
        /// executions a user named differently still differ.
        case generated
    }

    /// The operations it applies to; nil for all.
    public var operations: Set<String>?
    public var path: JSONPathExpression
    public var condition: Condition

    public init(path: JSONPathExpression, operations: Set<String>? = nil, condition: Condition = .always) {
        self.path = path
        self.operations = operations
        self.condition = condition
    }

    /// Reads a field as the configuration writes it: `clientRequestToken` (a member of that
    /// name at any depth), `$.a.b` (a JSON path), either after `Operation:` to limit it
    /// (`StartExecution:$.name`).
    public init(parsing text: String) throws(RedactionRuleError) {
        var rest = Substring(text)
        var operations: Set<String>? = nil
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("$"), !text[..<colon].isEmpty {
            operations = [String(text[..<colon])]
            rest = text[text.index(after: colon)...]
        }
        guard !rest.isEmpty else { throw RedactionRuleError("volatile field \(text) names no member") }
        let path = rest.hasPrefix("$") ? try JSONPathExpression(String(rest)) : try JSONPathExpression("$.." + rest)
        self.init(path: path, operations: operations)
    }

    /// `clientRequestToken` anywhere, and a generated execution `name` of StartExecution and
    /// StartSyncExecution.
    public static let defaults: [VolatileField] = [
        VolatileField(path: JSONPathExpression(source: "$..clientRequestToken", steps: [.descendant("clientRequestToken")])),
        VolatileField(
            path: JSONPathExpression(source: "$.name", steps: [.member("name")]), operations: ["StartExecution", "StartSyncExecution"],
            condition: .generated),
    ]

    func applies(to operation: String) -> Bool { operations.map { $0.contains(operation) } ?? true }

    /// `body` with this field left out (or, when `generated`, a generated value made one token).
    func normalize(_ body: inout JSONValue) {
        switch condition {
        case .always:
            path.rewrite(&body) { _ in nil }
        case .generated:
            path.rewrite(&body) { value in
                guard case .string(let text) = value, Self.looksGenerated(text) else { return value }
                return .string("<generated>")
            }
        }
    }

    /// A UUID in its 8-4-4-4-12 hex form, as SDKs, the CLI and consoles generate names.
    static func looksGenerated(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                let hex = (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
                guard hex else { return false }
            }
        }
        return true
    }
}
