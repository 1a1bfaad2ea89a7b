/// One place where the emulator's answer departs from AWS's in form (never in generated text).
public struct ShapeDifference: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case status
        case errorCode
        /// A header one side sends and the other not, or a content type that differs.
        case header
        /// A member AWS sends that the emulator leaves out.
        case missingMember
        /// A member the emulator sends that AWS does not.
        case extraMember
        /// The same member with a different JSON type.
        case type
        /// The same members in another order.
        case order
        /// A different sequence of stream events.
        case events
        /// Bodies of different kinds (JSON and not, a stream and a document).
        case body
    }

    public var kind: Kind
    /// `status`, `headers.content-type`, `body.usage.inputTokens`, `frames[chunk/message_start].bytes.message`.
    public var path: String
    /// What AWS had there and what the emulator had (type names, codes, member lists).
    public var recorded: String?
    public var emulated: String?

    public init(_ kind: Kind, _ path: String, recorded: String? = nil, emulated: String? = nil) {
        self.kind = kind
        self.path = path
        self.recorded = recorded
        self.emulated = emulated
    }

    public var description: String {
        switch kind {
        case .missingMember: return "\(path): AWS sends it (\(recorded ?? "?")), the emulator does not"
        case .extraMember: return "\(path): the emulator sends it (\(emulated ?? "?")), AWS does not"
        default: return "\(path): AWS \(recorded ?? "none"), emulator \(emulated ?? "none")"
        }
    }
}
