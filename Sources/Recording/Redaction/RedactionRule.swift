import BoundedRegex

/// One configured redaction (`recording.redact`): a regular expression over text, a JSON path
/// into bodies and frame payloads, or a literal secret; each match becomes `placeholder`.
public enum RedactionRule: Sendable {
    case pattern(RedactionPattern)
    case path(JSONPathExpression, placeholder: String)
    case literal(String, placeholder: String)

    public static let defaultPlaceholder = "REDACTED"

    /// Reads a rule as the configuration writes it: `$…` is a JSON path, anything else a
    /// regular expression (bare or `/…/i`).
    public static func parse(_ text: String, placeholder: String = defaultPlaceholder) throws(RedactionRuleError) -> RedactionRule {
        guard !text.isEmpty else { throw RedactionRuleError("a redaction rule is empty") }
        if text.hasPrefix("$") { return .path(try JSONPathExpression(text), placeholder: placeholder) }
        return .pattern(try RedactionPattern(text, placeholder: placeholder))
    }

    public var placeholder: String {
        switch self {
        case .pattern(let pattern): return pattern.placeholder
        case .path(_, let placeholder), .literal(_, let placeholder): return placeholder
        }
    }

    /// How a note about the rule names it.
    public var source: String {
        switch self {
        case .pattern(let pattern): return pattern.regex.source
        case .path(let path, _): return path.source
        case .literal: return "a configured secret"
        }
    }
}
