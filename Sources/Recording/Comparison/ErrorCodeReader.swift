import JSONCore

/// The error code of an AWS error answer, wherever its protocol puts it: `X-Amzn-ErrorType`
/// (restJson1), `__type` (awsJson1_0, with or without its namespace), `code`/`Code` members, or
/// S3's `<Code>` element.
public enum ErrorCodeReader {
    public static func code(status: Int, headers: [RecordedHeader], body: [UInt8]) -> String? {
        guard status >= 300 else { return nil }
        if let type = headers.value(of: "x-amzn-errortype"), let code = type.split(separator: ":").first, !code.isEmpty {
            return String(code)
        }
        if let json = try? JSONParser.parse(body) {
            for key in ["__type", "code", "Code"] {
                if let text = json[key]?.stringValue {
                    return text.split(separator: "#").last.map(String.init) ?? text
                }
            }
            return nil
        }
        let text = String(decoding: body, as: UTF8.self)
        guard let open = text.firstRange(of: "<Code>"), let close = text[open.upperBound...].firstRange(of: "</Code>") else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
