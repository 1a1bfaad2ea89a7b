import Foundation
import JSONCore
import VectorSupport
import XCTest

/// JSONTestSuite (nst/JSONTestSuite): every `y_` accepted, every `n_` rejected, and each `i_`
/// file pinned to the choice documented on `JSONParser`.
final class JSONTestSuiteTests: XCTestCase {
    /// The implementation-defined files this parser accepts; every other `i_` file is rejected.
    static let acceptedImplementationDefined: Set<String> = [
        // Numbers of any size keep their text.
        "i_number_double_huge_neg_exp.json", "i_number_huge_exp.json", "i_number_neg_int_huge_exp.json",
        "i_number_pos_double_huge_exp.json", "i_number_real_neg_overflow.json", "i_number_real_pos_overflow.json",
        "i_number_real_underflow.json", "i_number_too_big_neg_int.json", "i_number_too_big_pos_int.json",
        "i_number_very_big_negative_int.json",
        // Escaped lone surrogates become U+FFFD.
        "i_object_key_lone_2nd_surrogate.json", "i_string_1st_surrogate_but_2nd_missing.json",
        "i_string_1st_valid_surrogate_2nd_invalid.json", "i_string_incomplete_surrogate_and_escape_valid.json",
        "i_string_incomplete_surrogate_pair.json", "i_string_incomplete_surrogates_escape_valid.json",
        "i_string_invalid_lonely_surrogate.json", "i_string_invalid_surrogate.json",
        "i_string_inverted_surrogates_U+1D11E.json", "i_string_lone_second_surrogate.json",
        // Within the nesting limit; a leading BOM is skipped.
        "i_structure_500_nested_arrays.json", "i_structure_UTF-8_BOM_empty_object.json",
    ]

    func testParsingVectors() throws {
        let files = try Fixtures.files(in: "vectors/json/test_parsing")
        XCTAssertGreaterThan(files.count, 300, "JSONTestSuite vectors not found under Tests/Fixtures")
        var counts = (y: 0, n: 0, i: 0)
        for file in files where file.pathExtension == "json" {
            let name = file.lastPathComponent
            let bytes = Array(try Data(contentsOf: file))
            let accepted = (try? JSONParser.parse(bytes)) != nil
            switch name.first {
            case "y":
                counts.y += 1
                XCTAssertTrue(accepted, "\(name) must be accepted")
            case "n":
                counts.n += 1
                XCTAssertFalse(accepted, "\(name) must be rejected")
            case "i":
                counts.i += 1
                XCTAssertEqual(accepted, Self.acceptedImplementationDefined.contains(name), "\(name): documented choice changed")
            default: break
            }
        }
        print("JSONTestSuite: \(counts.y) y, \(counts.n) n, \(counts.i) i files checked")
    }

    /// Every accepted `y_` document survives parse → write → parse unchanged.
    func testRoundTripOfAcceptedVectors() throws {
        for file in try Fixtures.files(in: "vectors/json/test_parsing") where file.lastPathComponent.hasPrefix("y_") {
            let value = try JSONParser.parse(Array(try Data(contentsOf: file)))
            let again = try JSONParser.parse(value.jsonBytes)
            XCTAssertEqual(value, again, file.lastPathComponent)
            XCTAssertEqual(value.jsonBytes, again.jsonBytes, file.lastPathComponent)
        }
    }

    /// test_transform: numbers keep their text exactly; duplicate keys keep the last value.
    func testTransformVectors() throws {
        let dir = "vectors/json/test_transform"
        func parse(_ name: String) throws -> JSONValue { try Fixtures.json("\(dir)/\(name)") }
        XCTAssertEqual(try parse("number_1.0.json").jsonString, "[1.0]")
        XCTAssertEqual(try parse("number_9223372036854775808.json").jsonString, "[9223372036854775808]")
        XCTAssertEqual(try parse("number_-9223372036854775809.json").jsonString, "[-9223372036854775809]")
        XCTAssertEqual(try parse("number_10000000000000000999.json").jsonString, "[10000000000000000999]")
        XCTAssertEqual(try parse("number_1.000000000000000005.json").jsonString, "[1.000000000000000005]")
        XCTAssertEqual(try parse("number_1e-999.json").jsonString, "[1E-999]")
        XCTAssertEqual(try parse("object_same_key_different_values.json").jsonString, #"{"a":2}"#)
        XCTAssertEqual(try parse("object_same_key_same_value.json").jsonString, #"{"a":1}"#)
        // Raw invalid UTF-8 is rejected (the documented choice); every other transform file parses.
        for file in try Fixtures.files(in: dir) {
            let name = file.lastPathComponent
            let parsed = (try? JSONParser.parse(Array(try Data(contentsOf: file)))) != nil
            let rawInvalid = name.hasPrefix("string_") && name.contains("invalid_codepoint") && !name.contains("escaped")
            XCTAssertEqual(parsed, !rawInvalid, name)
        }
        XCTAssertEqual(try parse("string_1_escaped_invalid_codepoint.json").jsonString, "[\"\u{FFFD}\"]")
    }
}
