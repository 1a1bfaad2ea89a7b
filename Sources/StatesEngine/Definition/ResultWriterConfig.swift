import JSONCore

/// A Distributed Map's `ResultWriter.WriterConfig`: how child results are shaped (Transformation)
/// and laid out (OutputType), and whether they are exported at all (a `Resource`) or only
/// shape the state's output (the "preview" form, WriterConfig alone).
struct ResultWriterConfig: Equatable {
    enum Transformation: String, CaseIterable {
        /// Each child's metadata with its input and output (the export default).
        case none = "NONE"
        /// Each child's output alone (the default without a ResultWriter).
        case compact = "COMPACT"
        /// As COMPACT, with a child's array output spliced in element by element.
        case flatten = "FLATTEN"
    }

    enum OutputType: String, CaseIterable {
        case json = "JSON"
        case jsonl = "JSONL"
    }

    var transformation: Transformation
    var outputType: OutputType
    /// Results go to S3 through the writer's Resource; otherwise they are the state's output.
    var exports: Bool

    static let noWriter = ResultWriterConfig(transformation: .compact, outputType: .json, exports: false)

    /// Reads and checks a Map state's ResultWriter (nil: none). `path` locates problems in the
    /// definition.
    init(writer: JSONValue?, path: String) throws(StateMachineDefinition.Problem) {
        guard let writer else {
            self = .noWriter
            return
        }
        func problem(_ message: String, _ location: String) -> StateMachineDefinition.Problem {
            StateMachineDefinition.Problem(.schemaValidationFailed, message, at: "\(path)/ResultWriter\(location)")
        }
        guard case .object(let fields) = writer else { throw problem("Expected value of type Object", "") }
        exports = fields["Resource"] != nil
        let config = fields["WriterConfig"]
        guard exports || config != nil else {
            throw problem("The ResultWriter field must contain either WriterConfig, or Resource and Parameters (or Arguments)", "")
        }
        transformation = exports ? .none : .compact
        outputType = .json
        guard let config else { return }
        guard case .object(let options) = config else { throw problem("Expected value of type Object", "/WriterConfig") }
        if let value = options["Transformation"] {
            guard let text = value.stringValue, let parsed = Transformation(rawValue: text) else {
                throw problem("Value should be one of the following: [NONE, COMPACT, FLATTEN]", "/WriterConfig/Transformation")
            }
            transformation = parsed
        }
        if let value = options["OutputType"] {
            guard let text = value.stringValue, let parsed = OutputType(rawValue: text) else {
                throw problem("Value should be one of the following: [JSON, JSONL]", "/WriterConfig/OutputType")
            }
            outputType = parsed
        }
    }

    private init(transformation: Transformation, outputType: OutputType, exports: Bool) {
        self.transformation = transformation
        self.outputType = outputType
        self.exports = exports
    }

    /// One finished child of the map run.
    struct Child {
        /// What the ResultWriter writes of it under NONE: its execution's metadata, input and
        /// output or error.
        var record: JSONValue
        /// Its output, or `{"Error", "Cause"}` when it failed.
        var output: JSONValue
        var succeeded: Bool
    }

    /// The children's results as the transformation shapes them: records under NONE, outputs
    /// otherwise, array outputs spliced in under FLATTEN.
    func shape(_ children: [Child]) -> [JSONValue] {
        switch transformation {
        case .none: return children.map(\.record)
        case .compact: return children.map(\.output)
        case .flatten:
            return children.flatMap { child -> [JSONValue] in
                if case .array(let elements) = child.output { return elements }
                return [child.output]
            }
        }
    }

    /// A results file's bytes and name suffix: a JSON array, or one JSON text per line.
    func encode(_ entries: [JSONValue]) -> (body: String, suffix: String) {
        switch outputType {
        case .json: return (JSONValue.array(entries).jsonString, ".json")
        case .jsonl: return (entries.map(\.jsonString).joined(separator: "\n") + (entries.isEmpty ? "" : "\n"), ".jsonl")
        }
    }
}
