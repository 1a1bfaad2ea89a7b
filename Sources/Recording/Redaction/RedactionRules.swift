/// Everything the redactor applies before an interaction is written, beyond what it always
/// does (credential headers and presigned query parameters removed).
public struct RedactionRules: Sendable {
    /// Applied in order: to header values, the path, the query, the resource, text bodies and
    /// every string in JSON bodies and frame payloads (a Bedrock chunk's decoded `bytes` too).
    public var rules: [RedactionRule]
    public var accounts: AccountMapping
    public var requestHeaders: HeaderSelection
    /// Regex steps every pattern may spend on one interaction before any text: a pattern also
    /// earns `regexStepsPerCharacter` for each character it is run over, so ordinary patterns
    /// scan large bodies while a runaway one stops after a bounded number of steps.
    public var regexSteps: Int
    public var regexStepsPerCharacter: Int

    public init(
        rules: [RedactionRule] = [], accounts: AccountMapping = AccountMapping(), requestHeaders: HeaderSelection = .requestDefault,
        regexSteps: Int = 1_000_000, regexStepsPerCharacter: Int = 64
    ) {
        self.rules = rules
        self.accounts = accounts
        self.requestHeaders = requestHeaders
        self.regexSteps = regexSteps
        self.regexStepsPerCharacter = regexStepsPerCharacter
    }

    /// Configured secrets (`recording.secrets`): replaced wherever they occur, and what
    /// `recordings verify` looks for.
    public mutating func addSecrets(_ secrets: [String], placeholder: String = RedactionRule.defaultPlaceholder) {
        for secret in secrets where !secret.isEmpty { rules.append(.literal(secret, placeholder: placeholder)) }
    }
}
