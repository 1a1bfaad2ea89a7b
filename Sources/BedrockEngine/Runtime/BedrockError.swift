/// A Bedrock runtime refusal, as the service words it. The front end renders it in restJson1.
public struct BedrockError: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public var status: Int
    /// The canned rule that answered with this error, for the journal.
    public var rule: String? = nil
    /// The quota that refused the call, for the journal.
    public var quota: String? = nil

    public init(code: String, message: String, status: Int) {
        self.code = code
        self.message = message
        self.status = status
    }

    public static func validation(_ message: String) -> BedrockError {
        BedrockError(code: "ValidationException", message: message, status: 400)
    }

    /// Bedrock's JSON-schema wording for a body that does not fit the model's format.
    public static func malformed(_ detail: String) -> BedrockError {
        validation("Malformed input request: \(detail), please reformat your input and try again.")
    }

    public static let invalidModel = validation("The provided model identifier is invalid.")

    public static func notEmulated(_ what: String) -> BedrockError {
        BedrockError(code: "NotImplemented", message: "Understudy does not emulate \(what) yet", status: 501)
    }
}
