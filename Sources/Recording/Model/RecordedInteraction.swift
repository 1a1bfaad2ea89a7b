public import JSONCore

/// One call and its answer: the file a cassette keeps per interaction.
///
/// `service`, `operation` and `resource` are what replay matches on first; `resource` is
/// whatever names the thing the call concerns (the model id, the state machine or execution
/// ARN, `bucket/key`), as the caller worked it out.
public struct RecordedInteraction: Sendable, Equatable {
    public var service: String
    public var operation: String
    public var resource: String?
    /// When it was recorded (RFC 3339), for people; replay ignores it.
    public var recordedAt: String?
    public var request: RecordedRequest
    public var response: RecordedResponse

    public init(
        service: String, operation: String, resource: String? = nil, recordedAt: String? = nil, request: RecordedRequest,
        response: RecordedResponse
    ) {
        self.service = service
        self.operation = operation
        self.resource = resource
        self.recordedAt = recordedAt
        self.request = request
        self.response = response
    }

    /// The file's JSON: members always in this order, so files diff well.
    public var fileValue: JSONValue {
        var object = JSONObject()
        object["service"] = .string(service)
        object["operation"] = .string(operation)
        if let resource { object["resource"] = .string(resource) }
        if let recordedAt { object["recordedAt"] = .string(recordedAt) }
        object["request"] = request.fileValue
        object["response"] = response.fileValue
        return .object(object)
    }

    /// The file's bytes: 2-space indented JSON and a final newline.
    public var fileBytes: [UInt8] { fileValue.prettyBytes(indent: 2) + [UInt8(ascii: "\n")] }

    public init(fileValue json: JSONValue) throws(CassetteFormatError) {
        let fields = try CassetteFields(json, at: "")
        service = try fields.string("service")
        operation = try fields.string("operation")
        resource = try fields.optionalString("resource")
        recordedAt = try fields.optionalString("recordedAt")
        request = try RecordedRequest(fileValue: fields.object["request"], at: "request")
        response = try RecordedResponse(fileValue: fields.object["response"], at: "response")
    }

    /// Reads a file's bytes; a JSON error names the line.
    public init(fileBytes bytes: [UInt8]) throws(CassetteFormatError) {
        let json: JSONValue
        do throws(JSONParseError) { json = try JSONParser.parse(bytes) } catch {
            throw CassetteFormatError("not JSON: \(error)", line: error.line)
        }
        try self.init(fileValue: json)
    }
}
