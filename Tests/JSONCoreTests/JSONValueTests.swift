import JSONCore
import XCTest

final class JSONValueTests: XCTestCase {
    func testKeepsMemberOrderAndNumberText() throws {
        let text = #"{"z":1,"a":1.0,"m":[true,false,null],"big":12345678901234567890123,"e":1E+2}"#
        let value = try JSONParser.parse(text)
        XCTAssertEqual(value.jsonString, text)
        XCTAssertEqual(value["z"], value["a"], "1 and 1.0 are numerically equal")
        XCTAssertEqual(value["a"]?.numberValue?.text, "1.0")
        XCTAssertEqual(value["e"]?.intValue, 100)
    }

    func testWritesLikeAWS() {
        let value: JSONValue = ["path": "a/b", "text": "é \"q\" \\ \n\t\u{01}", "n": 3]
        XCTAssertEqual(value.jsonString, #"{"path":"a/b","text":"é \"q\" \\ \n\t\u0001","n":3}"#)
    }

    func testErrorPositions() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": tru }")) { error in
            let e = error as! JSONParseError
            XCTAssertEqual(e.line, 2)
            XCTAssertEqual(e.column, 11)
        }
        XCTAssertThrowsError(try JSONParser.parse("")) { error in
            XCTAssertEqual((error as! JSONParseError).reason, .emptyDocument)
        }
        XCTAssertThrowsError(try JSONParser.parse("[1] x")) { error in
            XCTAssertEqual((error as! JSONParseError).reason, .trailingData)
        }
    }

    func testNestingLimit() {
        let deep = String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { error in
            XCTAssertEqual((error as! JSONParseError).reason, .nestingTooDeep(limit: 1000))
        }
        let ok = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        XCTAssertNoThrow(try JSONParser.parse(ok))
        XCTAssertThrowsError(try JSONParser(maximumDepth: 3).parse(Array("[[[[1]]]]".utf8)))
    }

    func testSurrogatePairsAndLoneSurrogates() throws {
        XCTAssertEqual(try JSONParser.parse(#"["\uD834\uDD1E"]"#)[0]?.stringValue, "𝄞")
        XCTAssertEqual(try JSONParser.parse(#"["\uD800x"]"#)[0]?.stringValue, "\u{FFFD}x")
    }

    func testObjectMutationAndIndex() {
        var object = JSONObject()
        for i in 0..<40 { object["k\(i)"] = JSONValue(i) }
        XCTAssertEqual(object["k33"], 33)
        object["k5"] = nil
        XCTAssertEqual(object.count, 39)
        XCTAssertNil(object["k5"])
        XCTAssertEqual(object["k6"], 6)
        XCTAssertEqual(object.keys.first, "k0")
        object["k0"] = "replaced"
        XCTAssertEqual(object.keys.first, "k0", "replacing keeps position")
    }

    func testDoubleFormatting() {
        XCTAssertEqual(JSONNumber(2.0).text, "2")
        XCTAssertEqual(JSONNumber(0.5).text, "0.5")
        XCTAssertEqual(JSONNumber(1.686509515191e9).text, "1686509515.191")
        XCTAssertNil(JSONNumber(text: "01"))
        XCTAssertNotNil(JSONNumber(text: "-0.0e+5"))
    }

    func testEqualityIgnoresMemberOrder() throws {
        XCTAssertEqual(try JSONParser.parse(#"{"a":1,"b":[1,2]}"#), try JSONParser.parse(#"{"b":[1,2.0],"a":1}"#))
        XCTAssertNotEqual(try JSONParser.parse("[1,2]"), try JSONParser.parse("[2,1]"))
        XCTAssertEqual(Set([try JSONParser.parse(#"{"a":1,"b":2}"#), try JSONParser.parse(#"{"b":2,"a":1.0}"#)]).count, 1)
    }
}
