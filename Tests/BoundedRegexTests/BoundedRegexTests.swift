import BoundedRegex
import XCTest

/// The API around the matcher: positions in UTF-16 units, searches from an offset, group
/// names, and what a syntax error says.
final class BoundedRegexTests: XCTestCase {
    private func first(_ pattern: String, _ input: String, from: Int = 0, options: BoundedRegex.Options = []) throws -> RegexMatch? {
        var budget = RegexBudget()
        return try BoundedRegex(pattern, options: options).firstMatch(in: Array(input.utf16), from: from, budget: &budget)
    }

    func testTable() throws {
        // pattern, flags, input, from, expected range, expected captures
        let table: [(String, BoundedRegex.Options, String, Int, Range<Int>?, [Range<Int>?])] = [
            ("b+", [], "abbbc", 0, 1..<4, []),
            ("b", [], "abcb", 2, 3..<4, []),
            ("b", [], "ab", 3, nil, []),
            ("(a)|(b)", [], "b", 0, 0..<1, [nil, 0..<1]),
            ("c", [], "😀c", 0, 2..<3, []),  // an astral character is two UTF-16 units
            ("(?<word>\\w+) (?<other>\\w+)", [], "hello world", 0, 0..<11, [0..<5, 6..<11]),
            ("^b", .multiline, "a\nb", 0, 2..<3, []),
            ("^b", [], "a\nb", 0, nil, []),
            ("HELLO", .ignoreCase, "say hello", 0, 4..<9, []),
            ("(\\d+)-\\1", [], "12-12 3-4", 0, 0..<5, [0..<2]),
            ("x(?=y)", [], "xz xy", 0, 3..<4, []),
        ]
        for (pattern, options, input, from, range, captures) in table {
            let match = try first(pattern, input, from: from, options: options)
            XCTAssertEqual(match?.range, range, "/\(pattern)/ on \(input)")
            if let match { XCTAssertEqual(match.captures, captures, "/\(pattern)/ on \(input)") }
        }
    }

    func testGroupNamesAndCount() throws {
        let regex = try BoundedRegex("(?<year>\\d{4})-(\\d{2})(?:-(?<day>\\d{2}))?")
        XCTAssertEqual(regex.groupCount, 3)
        XCTAssertEqual(regex.groupNames, ["year", nil, "day"])
        XCTAssertEqual(regex.source, "(?<year>\\d{4})-(\\d{2})(?:-(?<day>\\d{2}))?")
    }

    func testSyntaxErrorsSayWhatAndWhere() {
        let cases: [(String, RegexSyntaxError)] = [
            ("a(b", RegexSyntaxError("Unterminated group", offset: 1)),
            ("ab)", RegexSyntaxError("Unmatched ')'", offset: 2)),
            ("x**", RegexSyntaxError("Nothing to repeat", offset: 2)),
            ("[z-a]", RegexSyntaxError("Range out of order in character class", offset: 2)),
            ("a{3,2}", RegexSyntaxError("numbers out of order in {} quantifier", offset: 1)),
            ("[ab", RegexSyntaxError("Unterminated character class", offset: 0)),
            ("ab\\", RegexSyntaxError("\\ at end of pattern", offset: 2)),
            ("(?i)a", RegexSyntaxError("Invalid group", offset: 0)),
            (String(repeating: "(", count: 300) + String(repeating: ")", count: 300), RegexSyntaxError("Regular expression too deeply nested", offset: 100)),
        ]
        for (pattern, expected) in cases {
            XCTAssertThrowsError(try BoundedRegex(pattern), pattern) { error in
                XCTAssertEqual(error as? RegexSyntaxError, expected, pattern)
            }
        }
    }

    /// A compiled pattern is a value: the same one matches from several threads at once.
    func testOneRegexServesConcurrentMatches() async throws {
        let regex = try BoundedRegex("(\\w+)@(\\w+)\\.com")
        let text = Array(String(repeating: "mail bob@example.com now ", count: 200).utf16)
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var budget = RegexBudget()
                    var from = 0
                    var count = 0
                    while let match = try? regex.firstMatch(in: text, from: from, budget: &budget) {
                        count += 1
                        from = match.range.upperBound
                    }
                    return count
                }
            }
            var all: [Int] = []
            for await count in group { all.append(count) }
            return all
        }
        XCTAssertEqual(counts, Array(repeating: 200, count: 8))
    }
}
