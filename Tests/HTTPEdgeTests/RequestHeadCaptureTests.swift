import XCTest

@testable import HTTPEdge

/// What a refused head's first bytes say of it: enough to name the service and the resource,
/// read leniently, since they are what HTTP's parser refused.
final class RequestHeadCaptureTests: XCTestCase {
    private func head(_ text: String) -> RequestHeadCapture.PartialHead {
        RequestHeadCapture.PartialHead(Array(text.utf8))
    }

    func testTheRequestLineAndWholeHeaderLinesAreRead() {
        let partial = head("POST /model/m/invoke?x=1 HTTP/1.1\r\nHost: h\r\nX-Amz-Target:  AWSStepFunctions.ListStateMachines \t\r\nX-Cut: abc")
        XCTAssertEqual(partial.method, "POST")
        XCTAssertEqual(partial.path, "/model/m/invoke")
        XCTAssertEqual(partial.query, "x=1")
        XCTAssertEqual(partial.header("x-amz-target"), "AWSStepFunctions.ListStateMachines")
        XCTAssertNil(partial.header("X-Cut"), "a line cut short is no header")
    }

    func testAControlCharacterOrALineWithoutColonDoesNotStopTheRest() {
        let partial = head("GET http://x/bucket/key HTTP/1.1\r\nX-Bad: a\u{1}b\r\nno colon\r\nHost: h\r\n\r\nBODY: no")
        XCTAssertEqual(partial.path, "/bucket/key")
        XCTAssertEqual(partial.header("x-bad"), "a\u{1}b")
        XCTAssertEqual(partial.header("host"), "h")
        XCTAssertNil(partial.header("body"), "the head ends at the empty line")
    }

    func testARequestLineCutShortStillNamesTheMethodAndTargetStart() {
        let partial = head("GET /bucket/" + String(repeating: "k", count: 50))
        XCTAssertEqual(partial.method, "GET")
        XCTAssertTrue(partial.path.hasPrefix("/bucket/kkk"))
        XCTAssertTrue(partial.headers.isEmpty)
    }

    func testBytesThatAreNoRequestGiveTheRoot() {
        for junk in ["", "\r\n", "\u{16}\u{3}\u{1}", "GARBAGE\r\n"] {
            let partial = head(junk)
            XCTAssertEqual(partial.path, "/", junk)
            XCTAssertTrue(partial.headers.isEmpty, junk)
        }
    }
}
