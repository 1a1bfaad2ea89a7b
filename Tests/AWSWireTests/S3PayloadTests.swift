import AWSWire
import JSONCore
import VectorSupport
import XCTest

/// aws-chunked bodies, S3's additional checksums and the XML reader, against the shared
/// vectors and published check values.
final class S3PayloadTests: XCTestCase {
    /// The S3 documentation's three-chunk upload, encoded as sent, decodes to its 66,560
    /// bytes and verifies along the chunk-signature chain; a flipped byte breaks the chain.
    func testSignedChunkedBodyDecodesAndVerifies() throws {
        let file = try Fixtures.json("vectors/sigv4/s3-streaming.json")["signed_chunked"]!
        var encoded: [UInt8] = []
        for chunk in file["chunks"]!.arrayValue! {
            encoded += Array(chunk["chunk_header"]!.stringValue!.utf8) + [0x0D, 0x0A]
            encoded += [UInt8](repeating: UInt8(ascii: "a"), count: chunk["size"]!.intValue!) + [0x0D, 0x0A]
        }
        let declared = file["request"]!["headers"]!.arrayValue!.first { $0[0]!.stringValue! == "Content-Length" }![1]!.stringValue!
        XCTAssertEqual(encoded.count, Int(declared))
        let body = try AWSChunkedBody(decoding: encoded)
        XCTAssertEqual(body.content.count, 66560)
        XCTAssertEqual(body.chunks.count, 3)
        let date = file["x_amz_date"]!.stringValue!
        let key = SigV4.signingKey(
            secret: file["credentials"]!["secret_access_key"]!.stringValue!, date: String(date.prefix(8)), region: "us-east-1", service: "s3")
        let chain = SigV4ChunkChain(
            signingKey: key, amzDate: date, scope: "\(date.prefix(8))/us-east-1/s3/aws4_request", seedSignature: file["seed"]!["signature"]!.stringValue!)
        XCTAssertTrue(body.verify(chain: chain))
        var tampered = body
        tampered.content[10] = UInt8(ascii: "b")
        XCTAssertFalse(tampered.verify(chain: chain))
    }

    func testUnsignedTrailerBodyFromBotocore() throws {
        let file = try Fixtures.json("vectors/sigv4/s3-streaming.json")["unsigned_trailer_observed"]!
        let hex = Array(file["body_hex"]!.stringValue!.utf8)
        let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
        let body = try AWSChunkedBody(decoding: bytes)
        XCTAssertEqual(String(decoding: body.content, as: UTF8.self), file["decoded_payload"]!.stringValue!)
        XCTAssertEqual(body.trailer("x-amz-checksum-crc32"), "0B99ig==")
        XCTAssertEqual(ChecksumAlgorithm.crc32.value(body.content), "0B99ig==")
        XCTAssertTrue(body.chunks.allSatisfy { $0.signature == nil })
    }

    func testMalformedChunkedBodies() {
        for text in ["zz\r\nabc\r\n0\r\n\r\n", "5\r\nab\r\n", "3\r\nabcXY0\r\n\r\n", "3\r\nabc"] {
            XCTAssertThrowsError(try AWSChunkedBody(decoding: Array(text.utf8)), text)
        }
    }

    /// Check values of "123456789" for each CRC (the catalogue of parametrised CRC
    /// algorithms), and the SHA digests of "abc" (FIPS 180).
    func testChecksumCheckValues() {
        let check = Array("123456789".utf8)
        XCTAssertEqual(Digest.hex(ChecksumAlgorithm.crc32.digest(check)), "cbf43926")
        XCTAssertEqual(Digest.hex(ChecksumAlgorithm.crc32c.digest(check)), "e3069283")
        XCTAssertEqual(Digest.hex(ChecksumAlgorithm.crc64nvme.digest(check)), "ae8b14860a799888")
        XCTAssertEqual(Digest.hex(ChecksumAlgorithm.sha1.digest(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(ChecksumAlgorithm(headerName: "X-Amz-Checksum-CRC64NVME"), .crc64nvme)
        XCTAssertNil(ChecksumAlgorithm(headerName: "x-amz-checksum-md5"))
    }

    func testXMLReaderAndWriter() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Part><PartNumber>1</PartNumber><ETag>&quot;a&amp;b&quot;</ETag></Part>
              <Part><PartNumber>2</PartNumber><ETag><![CDATA["c<d"]]></ETag><Empty/></Part>
            </CompleteMultipartUpload>
            """
        let document = try XMLElement.parse(Array(text.utf8))
        XCTAssertEqual(document.name, "CompleteMultipartUpload")
        XCTAssertEqual(document.children("Part").compactMap { $0.childText("ETag") }, ["\"a&b\"", "\"c<d\""])
        XCTAssertEqual(document.children("Part")[1].child("Empty")?.text, "")
        for bad in ["<a><b></a>", "<a>", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>", "<a>&bogus;</a>", "<a/><b/>"] {
            XCTAssertThrowsError(try XMLElement.parse(Array(bad.utf8)), bad)
        }
        // A hostile nesting depth is refused, not recursed into until the stack runs out.
        let deep = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        XCTAssertThrowsError(try XMLElement.parse(Array(deep.utf8)))
        var xml = XMLBuilder()
        xml.group("R", namespace: XMLBuilder.s3Namespace) { xml in
            xml.element("Key", "a<&>\"'")
            xml.element("Count", 3)
            xml.element("Skipped", nil as String?)
        }
        XCTAssertEqual(
            xml.text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Key>a&lt;&amp;&gt;&quot;&apos;</Key><Count>3</Count></R>")
    }

    /// A combining mark after `&`, `<` or `;` makes one Character of the two. Escaping and
    /// reading by Character let a bare `&` or `<` into S3's answers (a ListObjects of the key
    /// `&\u{301}` no longer parsed in any client) and refused a valid `&amp;` followed by a
    /// combining mark in a request. Found by `scripts/fuzz xml`.
    func testXMLEscapesAndReadsByScalarNotCharacter() throws {
        XCTAssertEqual(
            Array(RestXML.escape("&\u{301}<\u{338}>\u{301}\"\u{301}'\u{301}").unicodeScalars),
            Array("&amp;\u{301}&lt;\u{338}&gt;\u{301}&quot;\u{301}&apos;\u{301}".unicodeScalars))
        let read = try XMLElement.parse(Array("<Key>a&amp;\u{301}b&lt;&#x338;</Key>".utf8))
        XCTAssertEqual(Array(read.text.unicodeScalars), Array("a&\u{301}b<\u{338}".unicodeScalars))
        var xml = XMLBuilder()
        xml.element("Key", read.text)
        let again = try XMLElement.parse(xml.bytes)
        XCTAssertEqual(Array(again.text.unicodeScalars), Array(read.text.unicodeScalars))
        XCTAssertThrowsError(try XMLElement.parse(Array("<Key>&amp\u{301}</Key>".utf8)))
    }

    /// A raw CR in character data reads back as LF in every XML parser, and most C0 controls
    /// make the whole document unreadable: a key `a\rb` listed as `a\nb`, and `\u{1}key` broke
    /// ListObjects and the NoSuchKey error in botocore. Found by the HTTP probe.
    func testXMLEscapesCarriageReturnAndReplacesWhatXMLCannotCarry() throws {
        XCTAssertEqual(RestXML.escape("a\rb\r\nc"), "a&#13;b&#13;\nc")
        XCTAssertEqual(RestXML.escape("\t\n"), "\t\n")
        XCTAssertEqual(
            Array(RestXML.escape("\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF}\u{7F}").unicodeScalars),
            Array(String(repeating: "\u{FFFD}", count: 8).unicodeScalars) + ["\u{7F}"])
        var xml = XMLBuilder()
        xml.element("Key", "a\rb")
        XCTAssertEqual(try XMLElement.parse(xml.bytes).text, "a\rb")
    }
}
