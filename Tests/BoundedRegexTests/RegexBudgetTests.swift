import BoundedRegex
import XCTest

/// The budget: catastrophic patterns stop with `RegexBudgetExceeded` (and stop soon), while
/// ordinary patterns over 100 KB inputs finish well inside `RegexBudget.standardSteps`.
final class RegexBudgetTests: XCTestCase {
    /// Patterns that backtrack exponentially (or nearly) on the input beside them.
    static let catastrophic: [(String, String)] = [
        ("^(a+)+$", String(repeating: "a", count: 30) + "!"),
        ("^(a|a)*$", String(repeating: "a", count: 30) + "!"),
        ("^(a|aa)+$", String(repeating: "a", count: 60) + "!"),
        ("(x+x+)+y", String(repeating: "x", count: 40)),
        ("^(a*)*b$", String(repeating: "a", count: 30)),
        ("^((a+)\\2?)+$", String(repeating: "a", count: 30) + "!"),
        ("^(?=(a+)+$)", String(repeating: "a", count: 30) + "!"),
        ("^(\\w+\\s?)+$", String(repeating: "word ", count: 12) + "!"),
        ("(.*a){12}b", String(repeating: "a", count: 40)),
    ]

    /// Each catastrophic pattern under the standard budget.
    func testCatastrophicPatternsStopWithTheBudgetError() throws {
        for (pattern, input) in Self.catastrophic {
            let regex = try BoundedRegex(pattern)
            let steps = RegexBudget.standardSteps
            var budget = RegexBudget(steps: steps)
            let started = ContinuousClock.now
            XCTAssertThrowsError(try regex.firstMatch(in: Array(input.utf16), budget: &budget), pattern) { error in
                XCTAssertEqual(error as? RegexBudgetExceeded, RegexBudgetExceeded(.steps, limit: steps), pattern)
            }
            XCTAssertEqual(budget.remaining, 0, pattern)
            // The budget bounds the steps, so the time: a third of a second in a debug build,
            // ten times that under ThreadSanitizer; a hang would take hours.
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(60), pattern)
        }
    }

    /// One budget spans matches: a second match starts with what the first left.
    func testTheBudgetCarriesAcrossMatches() throws {
        let regex = try BoundedRegex("b")
        let text = Array(String(repeating: "a", count: 99).utf16) + [0x62]
        var budget = RegexBudget(steps: 1_000)
        XCTAssertEqual(try regex.firstMatch(in: text, budget: &budget)?.range, 99..<100)
        let afterOne = budget.remaining
        XCTAssertLessThan(afterOne, 1_000)
        XCTAssertGreaterThan(afterOne, 0)
        XCTAssertNotNil(try regex.firstMatch(in: text, budget: &budget))
        XCTAssertLessThan(budget.remaining, afterOne)
        var small = RegexBudget(steps: 50)
        XCTAssertThrowsError(try regex.firstMatch(in: text, budget: &small))
    }

    /// A pattern whose every iteration leaves a choice point grows the backtrack stack; past
    /// the depth limit the match stops rather than taking the memory.
    func testTheBacktrackStackIsBounded() throws {
        let regex = try BoundedRegex("(?:a|b)*c")
        let text = Array(String(repeating: "ab", count: 600_000).utf16)
        var budget = RegexBudget(steps: 100_000_000)
        XCTAssertThrowsError(try regex.firstMatch(in: text, budget: &budget)) { error in
            XCTAssertEqual((error as? RegexBudgetExceeded)?.exhausted, .backtrackDepth)
        }
    }

    /// Ordinary patterns over 100 KB of text, each run as a global search (every match, as
    /// `$match` and `$replace` do), fit the standard budget at least twice over.
    func testOrdinaryPatternsOnLargeInputsFitTheBudget() throws {
        var text = ""
        var n = 0
        while text.utf16.count < 100_000 {
            text += "Order \(n): ship 3 items to user\(n)@example.com by 2024-05-\(n % 28 + 1), total $\(n * 7).50\n"
            n += 1
        }
        let units = Array(text.utf16)
        let patterns = [
            "\\w+@\\w+\\.com", "\\s+", "(\\d{4})-(\\d{2})-(\\d{1,2})", "^Order (\\d+):", ".*", "[aeiou]", "\\$\\d+\\.\\d\\d",
            "(?<=\\$)\\d+", "\\bship\\b", "user\\d+@(?:example|test)\\.(com|org)", "total", "x{3,}", "(a|e|i|o|u)+",
        ]
        for pattern in patterns {
            let regex = try BoundedRegex(pattern, options: pattern.hasPrefix("^") ? .multiline : [])
            var budget = RegexBudget()
            var from = 0
            var count = 0
            while let match = try regex.firstMatch(in: units, from: from, budget: &budget) {
                count += 1
                from = match.range.isEmpty ? match.range.upperBound + 1 : match.range.upperBound
            }
            XCTAssertLessThan(budget.spent, RegexBudget.standardSteps / 2, "\(pattern): \(budget.spent) steps for \(count) matches")
        }
    }

    func testAnUnanchoredSearchCostsAboutAStepPerPosition() throws {
        let regex = try BoundedRegex("zz")
        var budget = RegexBudget()
        XCTAssertNil(try regex.firstMatch(in: Array(String(repeating: "a", count: 10_000).utf16), budget: &budget))
        XCTAssertLessThanOrEqual(budget.spent, 2 * 10_001)
        var anchored = RegexBudget()
        XCTAssertNil(try BoundedRegex("^zz").firstMatch(in: Array(String(repeating: "a", count: 10_000).utf16), budget: &anchored))
        XCTAssertLessThan(anchored.spent, 10, "a pattern anchored at the start is tried at position 0 only")
    }
}
