/// Why a cassette file could not be read or written, naming the file (and line, when the JSON
/// itself is broken) so `recordings verify` and the server's start-up can point at it.
public struct CassetteFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(_ message: String, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    /// The same error, said of `file` (keeps a file already named).
    func inFile(_ name: String) -> CassetteFormatError {
        var copy = self
        if copy.file == nil { copy.file = name }
        return copy
    }

    public var description: String {
        switch (file, line) {
        case (let file?, let line?): return "\(file):\(line): \(message)"
        case (let file?, nil): return "\(file): \(message)"
        default: return message
        }
    }
}
