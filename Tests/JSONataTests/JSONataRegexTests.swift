import XCTest

@testable import JSONata

/// The regex functions over `BoundedRegex`, walking matches as jsonata-js does (expected
/// answers are jsonata-js's own): an empty later match fails with D1004, the first one does
/// not, indexes count UTF-16 units, and JavaScript's syntax is the pattern language.
final class JSONataRegexTests: XCTestCase {
    func testMatchesAsJsonataWalksThem() {
        assertCases([
            ("$split('abc', /x*/)", "D1004"), ("$split('', /x*/)", "[\"\",\"\"]"),
            ("$match('abc', /$/)", "{\"match\":\"\",\"index\":3,\"groups\":[]}"), ("$match('abc', /^/)", "D1004"),
            ("$replace('abc', /x*/, '-')", "D1004"), ("$replace('', /x*/, '-')", "\"-\""),
            ("$match('abab', /b/, 1)", "{\"match\":\"b\",\"index\":1,\"groups\":[]}"),
            ("$split('a1b2c', /\\d/, 2)", "[\"a\",\"b\"]"), ("$split('a1b2c', /\\d/)", "[\"a\",\"b\",\"c\"]"),
            ("$split('ab1', /\\d/)", "[\"ab\",\"\"]"), ("$contains('abc', /x*/)", "true"),
            ("$replace('abc', /(b)|(z)/, '[$1$2]')", "\"a[b]c\""), ("$match('ab', /x*/, 0)", "undefined"),
            ("$match('😀a😀a', /a/)", "[{\"match\":\"a\",\"index\":2,\"groups\":[]},{\"match\":\"a\",\"index\":5,\"groups\":[]}]"),
            ("$replace('abab', /b/, 'c', 1)", "\"acab\""), ("$replace('abcb', /b$/, 'c')", "\"abcc\""), ("$match('a', /b*/)", "D1004"),
        ])
    }

    /// JavaScript's syntax, not Swift's: lookbehind, named groups, Annex B's literal braces,
    /// and the flags; an invalid pattern is the same S0302 as before.
    func testJavaScriptSyntax() {
        assertCases([
            ("$match('cost $42', /(?<=\\$)\\d+/).match", "\"42\""), ("$match('2024-05', /(?<y>\\d{4})-(?<m>\\d\\d)/).groups", "[\"2024\",\"05\"]"),
            ("$contains('a{}', /a{}/)", "true"), ("$contains('A', /a/i)", "true"), ("$match('a\\nb', /^b/m).index", "2"),
            ("$contains('x', /(/)", "S0302"), ("$contains('x', /a**/)", "S0302"), ("$contains('x', /[b-a]/)", "S0302"),
        ])
    }

    /// A catastrophic pattern stops with U1001 naming the pattern; every function and the
    /// matcher-function form spend the same budget.
    func testCatastrophicPatternsStop() throws {
        let input = "'" + String(repeating: "a", count: 30) + "!'"
        for call in ["$match(\(input), /^(a+)+$/)", "$contains(\(input), /^(a+)+$/)", "$replace(\(input), /^(a+)+$/, 'x')",
                     "$split(\(input), /^(a+)+$/)", "/^(a+)+$/(\(input))"] {
            let started = ContinuousClock.now
            XCTAssertThrowsError(try JSONataExpression(call).evaluate(input: nil), call) { error in
                let error = error as! JSONataError
                XCTAssertEqual(error.code, "U1001", call)
                XCTAssertTrue(error.message.contains("/^(a+)+$/"), error.message)
            }
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(60), "\(call): a hang, not a budget")
        }
    }
}
