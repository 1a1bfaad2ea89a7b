/// A pattern that is not a valid JavaScript regular expression, with what is wrong and where
/// (an offset in UTF-16 code units), as a `SyntaxError` from `new RegExp` would say it.
public struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at offset \(offset)" }
}
