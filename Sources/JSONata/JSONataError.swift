/// An error JSONata raises while parsing or evaluating, with its documented code (`S0201`,
/// `T2001`, `D3001`, …) and the character position it refers to.
public struct JSONataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var position: Int

    public init(_ code: String, _ message: String, position: Int = 0) {
        self.code = code
        self.message = message
        self.position = position
    }

    /// As Step Functions quotes it in a cause: `T2001: The left side of …`.
    public var description: String { "\(code): \(message)" }
}
