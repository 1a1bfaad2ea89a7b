/// A path written in the definition (`InputPath`, `Variable`, a `…Path` field), parsed when the
/// definition is read. A path that does not parse is not a definition error: Step Functions
/// fails the state that uses it (`States.Runtime`), so the parse error is kept for then.
struct ReferencePath: Sendable {
    let text: String
    let parsed: Result<JSONPath, JSONPath.ParseError>

    init(_ text: String) {
        self.text = text
        do { parsed = .success(try JSONPath(text)) } catch { parsed = .failure(error) }
    }
}
