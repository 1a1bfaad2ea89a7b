/// A redaction rule, volatile field or account mapping that cannot be used, in words for the
/// configuration error that names the setting.
public struct RedactionRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
