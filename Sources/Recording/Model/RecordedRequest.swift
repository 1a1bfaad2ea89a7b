import JSONCore

/// The request half of an interaction: what was asked, as it reached the service (path and query
/// as sent), with only the headers that matter and never a credential (`Redactor` sees to it
/// before anything is written).
public struct RecordedRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [RecordedHeader]
    public var body: RecordedBody

    public init(method: String, path: String, query: String = "", headers: [RecordedHeader] = [], body: RecordedBody = .empty) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// A request as the server holds one: headers as pairs, the body as bytes.
    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.init(method: method, path: path, query: query, headers: RecordedHeader.list(headers), body: RecordedBody(capturing: body))
    }

    var fileValue: JSONValue {
        var object = JSONObject()
        object["method"] = .string(method)
        object["path"] = .string(path)
        object["query"] = .string(query)
        object["headers"] = RecordedHeader.fileValue(headers)
        body.write(into: &object, encodingKey: "bodyEncoding", valueKey: "body")
        return .object(object)
    }

    init(fileValue json: JSONValue?, at path: String) throws(CassetteFormatError) {
        let fields = try CassetteFields(json, at: path)
        method = try fields.string("method")
        self.path = try fields.string("path")
        query = try fields.optionalString("query") ?? ""
        headers = try fields.headers("headers")
        body = try RecordedBody(fileObject: fields.object, encodingKey: "bodyEncoding", valueKey: "body", at: path)
    }
}
