import JSONCore

/// A Distributed Map's `ResultWriter`: the resource that writes the results and its request,
/// with the WriterConfig (checked when the definition is read).
/// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
struct ResultWriter: Sendable {
    static let defaultResource = "arn:aws:states:::s3:putObject"

    let resource: String
    /// `Parameters` (JSONPath) or `Arguments` (JSONata).
    let parameters: JSONValue?
    let config: ResultWriterConfig

    /// nil without a ResultWriter.
    init?(_ raw: JSONValue?, jsonata: Bool, path: String) throws(StateMachineDefinition.Problem) {
        guard let raw else { return nil }
        config = try ResultWriterConfig(writer: raw, path: path)
        resource = raw["Resource"]?.stringValue ?? Self.defaultResource
        parameters = raw[jsonata ? "Arguments" : "Parameters"]
    }
}
