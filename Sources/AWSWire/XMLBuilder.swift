/// Writes restXml documents (S3) with elements in the order AWS sends them.
public struct XMLBuilder: Sendable {
    public private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    public static let s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    public init() {}

    public mutating func open(_ name: String, namespace: String? = nil) {
        text += "<\(name)"
        if let namespace { text += " xmlns=\"\(namespace)\"" }
        text += ">"
    }

    public mutating func close(_ name: String) { text += "</\(name)>" }

    /// Character data inside the open element, escaped.
    public mutating func characters(_ value: String) { text += RestXML.escape(value) }

    /// `<name>value</name>`, escaped; nothing when the value is nil.
    public mutating func element(_ name: String, _ value: String?) {
        guard let value else { return }
        if value.isEmpty {
            text += "<\(name)></\(name)>"
        } else {
            text += "<\(name)>\(RestXML.escape(value))</\(name)>"
        }
    }

    public mutating func element(_ name: String, _ value: Int?) { element(name, value.map(String.init)) }

    public mutating func element(_ name: String, _ value: Bool) { element(name, value ? "true" : "false") }

    public mutating func group(_ name: String, namespace: String? = nil, _ body: (inout XMLBuilder) -> Void) {
        open(name, namespace: namespace)
        body(&self)
        close(name)
    }

    public var bytes: [UInt8] { Array(text.utf8) }
}

/// A parsed XML element: enough of XML for the request bodies S3 clients send
/// (CompleteMultipartUpload, Delete, CreateBucketConfiguration). No DTDs, no external
/// entities: nothing in a body can make the parser read anything else.
public struct XMLElement: Sendable {
    public var name: String
    public var children: [XMLElement] = []
    public var text = ""

    public struct Malformed: Error, Sendable {}

    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }
    public func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }
    public func childText(_ name: String) -> String? { child(name)?.text }

    /// Parses a document; names lose their namespace prefix.
    public static func parse(_ bytes: [UInt8]) throws(Malformed) -> XMLElement {
        var parser = XMLParser(bytes: bytes)
        return try parser.document()
    }
}

struct XMLParser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0
    /// S3's documents are three or four levels deep; a limit keeps a hostile body from
    /// exhausting the stack.
    static let maximumDepth = 64

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    func starts(with s: String) -> Bool { bytes[i...].starts(with: s.utf8) }

    mutating func skipPast(_ s: String) throws(XMLElement.Malformed) {
        let pattern = Array(s.utf8)
        while i + pattern.count <= bytes.count {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) {
                i += pattern.count
                return
            }
            i += 1
        }
        throw XMLElement.Malformed()
    }

    /// Skips the prolog: declaration, comments, processing instructions. DOCTYPE is refused.
    mutating func document() throws(XMLElement.Malformed) -> XMLElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while true {
            skipSpace()
            if starts(with: "<?") { try skipPast("?>") } else if starts(with: "<!--") { try skipPast("-->") } else { break }
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "<"), !starts(with: "<!") else { throw XMLElement.Malformed() }
        let root = try element()
        skipSpace()
        while starts(with: "<!--") {
            try skipPast("-->")
            skipSpace()
        }
        guard i == bytes.count else { throw XMLElement.Malformed() }
        return root
    }

    mutating func name() throws(XMLElement.Malformed) -> String {
        let start = i
        while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 || bytes[i] == UInt8(ascii: ">") || bytes[i] == UInt8(ascii: "/")) {
            i += 1
        }
        guard i > start else { throw XMLElement.Malformed() }
        let full = String(decoding: bytes[start..<i], as: UTF8.self)
        if let colon = full.lastIndex(of: ":") { return String(full[full.index(after: colon)...]) }
        return full
    }

    mutating func element() throws(XMLElement.Malformed) -> XMLElement {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw XMLElement.Malformed() }
        i += 1  // <
        var element = XMLElement(name: try name())
        // Attributes are skipped (only xmlns appears in S3 bodies).
        while true {
            skipSpace()
            guard i < bytes.count else { throw XMLElement.Malformed() }
            if starts(with: "/>") {
                i += 2
                return element
            }
            if bytes[i] == UInt8(ascii: ">") {
                i += 1
                break
            }
            while i < bytes.count, bytes[i] != UInt8(ascii: "=") { i += 1 }
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { throw XMLElement.Malformed() }
            let quote = bytes[i]
            i += 1
            while i < bytes.count, bytes[i] != quote { i += 1 }
            i += 1
        }
        var text: [UInt8] = []
        while true {
            guard i < bytes.count else { throw XMLElement.Malformed() }
            if starts(with: "</") {
                i += 2
                guard try name() == element.name else { throw XMLElement.Malformed() }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw XMLElement.Malformed() }
                i += 1
                element.text = try Self.unescape(text)
                return element
            }
            if starts(with: "<!--") {
                try skipPast("-->")
            } else if starts(with: "<![CDATA[") {
                let start = i + 9
                try skipPast("]]>")
                text.append(contentsOf: bytes[start..<(i - 3)])
            } else if bytes[i] == UInt8(ascii: "<") {
                guard !starts(with: "<!") , !starts(with: "<?") else { throw XMLElement.Malformed() }
                element.children.append(try self.element())
            } else {
                text.append(bytes[i])
                i += 1
            }
        }
    }

    /// Replaces entity and character references. Over the bytes, not `Character`s: a combining
    /// mark after `;` makes one Character of the two, and the reference was never found.
    static func unescape(_ raw: [UInt8]) throws(XMLElement.Malformed) -> String {
        guard var amp = raw.firstIndex(of: UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out = Array(raw[..<amp])
        out.reserveCapacity(raw.count)
        while true {
            guard let semi = raw[amp...].firstIndex(of: UInt8(ascii: ";")) else { throw XMLElement.Malformed() }
            let entity = String(decoding: raw[(amp + 1)..<semi], as: UTF8.self)
            switch entity {
            case "amp": out.append(UInt8(ascii: "&"))
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let number: UInt32?
                if entity.hasPrefix("#x") { number = UInt32(entity.dropFirst(2), radix: 16) } else if entity.hasPrefix("#") { number = UInt32(entity.dropFirst()) } else { number = nil }
                guard let number, let scalar = Unicode.Scalar(number) else { throw XMLElement.Malformed() }
                out.append(contentsOf: String(scalar).utf8)
            }
            guard let next = raw[(semi + 1)...].firstIndex(of: UInt8(ascii: "&")) else {
                out.append(contentsOf: raw[(semi + 1)...])
                return String(decoding: out, as: UTF8.self)
            }
            out.append(contentsOf: raw[(semi + 1)..<next])
            amp = next
        }
    }
}
