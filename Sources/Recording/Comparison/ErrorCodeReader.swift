import AWSWire

/// The error code of an AWS error answer, wherever its protocol puts it (`AWSErrorAnswer`);
/// nil for a successful status.
public enum ErrorCodeReader {
    public static func code(status: Int, headers: [RecordedHeader], body: [UInt8]) -> String? {
        guard status >= 300 else { return nil }
        return AWSErrorAnswer(header: { headers.value(of: $0) }, body: body).code
    }
}
