import AWSWire
import JSONCore

/// Opaque pagination tokens: the offset into a stable listing, tagged with what it lists.
public enum PaginationToken {
    public static func encode(_ offset: Int, kind: String) -> String {
        Base64.encode(Array("understudy:\(kind):\(offset)".utf8))
    }

    public static func decode(_ token: String, kind: String) -> Int? {
        guard let bytes = Base64.decode(token), let text = String(validating: bytes, as: UTF8.self),
            text.hasPrefix("understudy:\(kind):")
        else { return nil }
        return Int(text.dropFirst("understudy:\(kind):".count)).flatMap { $0 >= 0 ? $0 : nil }
    }
}
