import AWSWire

/// What Understudy reads from an S3 endpoint's XML, through AWSWire's `XMLElement`: a
/// ListObjectsV2 page's keys and continuation, and an error's Code and Message.
struct S3ListingXML {
    var keys: [String] = []
    var isTruncated = false
    var nextContinuationToken: String?

    /// A page; nil when the body is not XML.
    init?(_ body: [UInt8]) {
        guard let root = try? XMLElement.parse(body) else { return nil }
        keys = root.children("Contents").compactMap { $0.childText("Key") }
        isTruncated = root.childText("IsTruncated") == "true"
        nextContinuationToken = root.childText("NextContinuationToken")
    }

    static func error(_ body: [UInt8]) -> (code: String, message: String)? {
        guard let root = try? XMLElement.parse(body), let code = root.childText("Code") else { return nil }
        return (code, root.childText("Message") ?? "")
    }
}
