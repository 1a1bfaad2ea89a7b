import AWSWire
import FuzzSupport

/// The XML reader S3 request bodies go through (CompleteMultipartUpload, Delete,
/// CreateBucketConfiguration, and an external S3's listings and errors). Beyond not trapping:
/// a document it reads, written out again with the same builder and escaping S3's answers
/// use, must read back as the same tree (but for the characters XML 1.0 cannot carry, which
/// the escaping turns into U+FFFD), and the escaped text must be character data any XML
/// reader accepts. Elements whose name has no local part after its
/// prefix, or holds what a name cannot, are left out of that check: the reader takes them as
/// written, but no builder could write them.
enum XMLFuzzer {
    static func run(_ bytes: [UInt8]) {
        guard let root = try? XMLElement.parse(bytes), writable(root) else { return }
        var builder = XMLBuilder()
        write(root, to: &builder)
        let again: XMLElement
        do { again = try XMLElement.parse(builder.bytes) } catch {
            Invariant.broken("a document read and written out again does not read: \(builder.text)")
        }
        Invariant.require(same(root, again), "a document read and written out again reads as another tree: \(builder.text)")
    }

    static func write(_ element: XMLElement, to builder: inout XMLBuilder) {
        let escaped = Array(RestXML.escape(element.text).utf8)
        Invariant.require(isCharacterData(escaped), "escaped text leaves markup in it: \(String(decoding: escaped, as: UTF8.self))")
        builder.open(element.name)
        builder.characters(element.text)
        for child in element.children { write(child, to: &builder) }
        builder.close(element.name)
    }

    /// No `<` or `>`, every `&` begins one of XML's five entity references or the `&#13;` a
    /// carriage return is written as, no raw CR (a reader takes it for LF) and no character
    /// XML 1.0 forbids, as any XML reader (a client's, not only ours) needs character data to be.
    static func isCharacterData(_ bytes: [UInt8]) -> Bool {
        let references = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#13;"].map { Array($0.utf8) }
        for (i, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") { return false }
            if byte < 0x20, byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\n") { return false }
            if byte == UInt8(ascii: "&"), !references.contains(where: { bytes[i...].starts(with: $0) }) { return false }
        }
        return !String(decoding: bytes, as: UTF8.self).unicodeScalars.contains { $0 == "\u{FFFE}" || $0 == "\u{FFFF}" }
    }

    /// The text as it reads back once escaped: what XML 1.0 cannot carry is U+FFFD.
    static func carried(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.map { scalar in
            switch scalar {
            case "\t", "\n", "\r": return scalar
            case "\u{0}"..<" ", "\u{FFFE}", "\u{FFFF}": return "\u{FFFD}"
            default: return scalar
            }
        }
    }

    static func writable(_ element: XMLElement) -> Bool {
        !element.name.isEmpty && !element.name.contains(where: { "<>/&\"'=?!:".contains($0) || $0.isWhitespace })
            && element.children.allSatisfy(writable)
    }

    static func same(_ a: XMLElement, _ b: XMLElement) -> Bool {
        a.name == b.name && carried(a.text).elementsEqual(b.text.unicodeScalars) && a.children.count == b.children.count
            && zip(a.children, b.children).allSatisfy { same($0, $1) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    XMLFuzzer.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
