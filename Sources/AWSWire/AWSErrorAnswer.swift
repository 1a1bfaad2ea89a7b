import JSONCore

/// The code and message of an AWS error answer, wherever its protocol puts them:
/// `X-Amzn-ErrorType` (restJson1, `Code:more` read as `Code`), `__type` (awsJson1_0, with or
/// without its `namespace#`), `code`/`Code` members, `message`/`Message`; or S3's XML `<Code>`
/// and `<Message>` (read by `XMLElement`, with a plain search for a `<Code>` when the XML does
/// not parse). SDKs read them the same way; so do the recorder's diff and the test harness.
public struct AWSErrorAnswer: Sendable, Equatable {
    public var code: String?
    public var message: String?

    public init(header: (String) -> String?, body: [UInt8]) {
        let json = try? JSONParser.parse(body)
        if let type = header("x-amzn-ErrorType"), let code = type.split(separator: ":").first, !code.isEmpty {
            self.code = String(code)
        } else if let json {
            code = ["__type", "code", "Code"].lazy.compactMap { json[$0]?.stringValue }.first.map { text in
                text.split(separator: "#").last.map(String.init) ?? text
            }
        } else {
            code = Self.xmlElement("Code", in: body)
        }
        if let json {
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue
        } else {
            message = Self.xmlElement("Message", in: body)
        }
    }

    /// A top-level element's text from S3's XML, or from a plain search when it does not parse.
    static func xmlElement(_ name: String, in body: [UInt8]) -> String? {
        if let root = try? XMLElement.parse(body) { return root.childText(name) }
        let text = String(decoding: body, as: UTF8.self)
        guard let open = text.firstRange(of: "<\(name)>"), let close = text[open.upperBound...].firstRange(of: "</\(name)>") else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
