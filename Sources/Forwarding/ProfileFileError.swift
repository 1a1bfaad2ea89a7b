/// A line of a profile file the parser cannot read. It names the file and the line number,
/// never the line's text, which may be a secret.
public struct ProfileFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: ProfileFile.Kind
    /// Set by whoever read the file.
    public var path: String?
    public var line: Int
    public var reason: String

    public init(kind: ProfileFile.Kind, path: String? = nil, line: Int, reason: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        "the AWS \(kind.rawValue) file\(path.map { " \($0)" } ?? "") has \(reason) on line \(line)"
    }
}
