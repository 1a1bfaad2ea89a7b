/// The few elements Understudy reads from an S3 endpoint's XML: a ListObjectsV2 page's keys
/// and continuation, and an error's Code and Message. S3's documents are flat enough that
/// scanning for the element names is exact; a full XML parser would be a dependency for this.
struct S3ListingXML {
    var keys: [String] = []
    var isTruncated = false
    var nextContinuationToken: String?

    init(_ body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        var rest = Substring(text)
        while let contents = Self.element("Contents", in: rest) {
            if let key = Self.element("Key", in: contents.value) { keys.append(Self.unescape(key.value)) }
            rest = rest[contents.end...]
        }
        isTruncated = Self.element("IsTruncated", in: Substring(text))?.value == "true"
        nextContinuationToken = Self.element("NextContinuationToken", in: Substring(text)).map { Self.unescape($0.value) }
    }

    static func error(_ body: [UInt8]) -> (code: String, message: String)? {
        let text = Substring(String(decoding: body, as: UTF8.self))
        guard let code = element("Code", in: text) else { return nil }
        return (unescape(code.value), element("Message", in: text).map { unescape($0.value) } ?? "")
    }

    /// The text between the first `<name>` and its `</name>`, and where the element ends.
    static func element(_ name: String, in text: Substring) -> (value: Substring, end: Substring.Index)? {
        guard let open = text.range(of: "<\(name)>"), let close = text[open.upperBound...].range(of: "</\(name)>") else { return nil }
        return (text[open.upperBound..<close.lowerBound], close.upperBound)
    }

    /// XML's five named entities and numeric character references.
    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { return out + rest[amp...] }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let scalar: Unicode.Scalar? =
                    entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) : nil
                if let scalar { out.unicodeScalars.append(scalar) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
