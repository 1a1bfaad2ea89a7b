import BoundedRegex
import JSONCore
import VectorSupport
import XCTest

/// Every case of `vectors/regex/ecmascript.json` (JavaScript's own answers, recorded with
/// Node.js): the same matches, group positions and syntax errors from `BoundedRegex`.
final class ECMAScriptVectorTests: XCTestCase {
    func testMatchesWhatJavaScriptMatches() throws {
        let document = try Fixtures.json("vectors/regex/ecmascript.json")
        let cases = try XCTUnwrap(document["cases"]?.arrayValue)
        XCTAssertGreaterThan(cases.count, 150)
        for item in cases {
            let pattern = try XCTUnwrap(item["pattern"]?.stringValue)
            let flags = item["flags"]?.stringValue ?? ""
            let input = try XCTUnwrap(item["input"]?.stringValue)
            let label = "/\(pattern)/\(flags) on \(input.debugDescription)"
            var options: BoundedRegex.Options = []
            if flags.contains("i") { options.insert(.ignoreCase) }
            if flags.contains("m") { options.insert(.multiline) }
            if item["error"]?.boolValue == true {
                XCTAssertThrowsError(try BoundedRegex(pattern, options: options), label)
                continue
            }
            let regex: BoundedRegex
            do { regex = try BoundedRegex(pattern, options: options) } catch {
                XCTFail("\(label): \(error)")
                continue
            }
            let expected = try XCTUnwrap(item["matches"]?.arrayValue).map(Self.expectedMatch)
            XCTAssertEqual(try Self.allMatches(regex, input), expected, label)
        }
    }

    /// A global search as `matchAll` does it: after an empty match, one code unit on.
    static func allMatches(_ regex: BoundedRegex, _ input: String) throws -> [RegexMatch] {
        let text = Array(input.utf16)
        var budget = RegexBudget()
        var out: [RegexMatch] = []
        var from = 0
        while out.count < 50, let match = try regex.firstMatch(in: text, from: from, budget: &budget) {
            out.append(match)
            from = match.range.isEmpty ? match.range.upperBound + 1 : match.range.upperBound
        }
        return out
    }

    static func expectedMatch(_ value: JSONValue) -> RegexMatch {
        func range(_ pair: JSONValue?) -> Range<Int>? {
            guard let pair = pair?.arrayValue, pair.count == 2, let a = pair[0].intValue, let b = pair[1].intValue else { return nil }
            return a..<b
        }
        return RegexMatch(range: range(value["range"]) ?? 0..<0, captures: (value["captures"]?.arrayValue ?? []).map { range($0) })
    }
}
