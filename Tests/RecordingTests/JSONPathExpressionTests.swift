import JSONCore
import Recording
import XCTest

final class JSONPathExpressionTests: XCTestCase {
    let document: JSONValue = [
        "a": ["b": "one", "c": ["token": "t1"]],
        "items": [["secret": "s0", "keep": 1], ["secret": "s1"]],
        "token": "t0",
        "odd.name": "dotted",
    ]

    func replaced(_ path: String) throws -> JSONValue {
        var value = document
        try JSONPathExpression(path).rewrite(&value) { _ in "X" }
        return value
    }

    func testEachFormSelectsWhatItSays() throws {
        XCTAssertEqual(try replaced("$.a.b")["a"]?["b"], "X")
        XCTAssertEqual(try replaced("$['odd.name']")["odd.name"], "X")
        XCTAssertEqual(try replaced("$.items[1].secret")["items"]?[1]?["secret"], "X")
        XCTAssertEqual(try replaced("$.items[1].secret")["items"]?[0]?["secret"], "s0")
        let all = try replaced("$.items[*].secret")
        XCTAssertEqual(all["items"]?[0]?["secret"], "X")
        XCTAssertEqual(all["items"]?[1]?["secret"], "X")
        let anywhere = try replaced("$..token")
        XCTAssertEqual(anywhere["token"], "X")
        XCTAssertEqual(anywhere["a"]?["c"]?["token"], "X")
        XCTAssertEqual(try replaced("$.a.*")["a"], ["b": "X", "c": "X"])
        XCTAssertEqual(try replaced("$.missing.path"), document, "a path that selects nothing changes nothing")
    }

    func testRemovalDropsMembersAndNullsElements() throws {
        var value = document
        XCTAssertTrue(try JSONPathExpression("$..secret").rewrite(&value) { _ in nil })
        XCTAssertEqual(value["items"], [["keep": 1], [:]])
        var array: JSONValue = ["list": [1, 2, 3]]
        try JSONPathExpression("$.list[1]").rewrite(&array) { _ in nil }
        XCTAssertEqual(array, ["list": [1, nil, 3]])
    }

    func testMalformedPathsAreRefusedWithTheReason() {
        for (path, words) in [
            ("a.b", "must start with $"), ("$", "names the whole document"), ("$.", "member name is missing"), ("$[1", "is not closed"),
            ("$[-1]", "is not an index"), ("$..", "must be followed by a member name"), ("$a", "unexpected"),
        ] {
            XCTAssertThrowsError(try JSONPathExpression(path), path) { error in
                XCTAssertTrue("\(error)".contains(words), "\(path): \(error)")
            }
        }
    }
}
