import JSONCore
import XCTest

@testable import JSONata

/// The sample document of the JSONata documentation (trimmed), used by the path tests.
let sampleDocument = """
    {
      "FirstName": "Fred", "Surname": "Smith", "Age": 28,
      "Address": {"Street": "Hursley Park", "City": "Winchester", "Postcode": "SO21 2JN"},
      "Phone": [
        {"type": "home", "number": "0203 544 1234"},
        {"type": "office", "number": "01962 001234"},
        {"type": "office", "number": "01962 001235"},
        {"type": "mobile", "number": "077 7700 1234"}
      ],
      "Email": [
        {"type": "work", "address": ["fred.smith@my-work.com", "fsmith@my-work.com"]},
        {"type": "home", "address": ["freddy@my-social.com", "frederic.smith@very-serious.com"]}
      ],
      "Other": {"Over 18 ?": true, "Misc": null, "Alternative.Address": {"Street": "Brick Lane", "City": "London"}},
      "Account": {
        "Order": [
          {"OrderID": "order103", "Product": [
            {"Name": "Bowler Hat", "ProductID": 858383, "Price": 34.45, "Quantity": 2},
            {"Name": "Trilby hat", "ProductID": 858236, "Price": 21.67, "Quantity": 1}]},
          {"OrderID": "order104", "Product": [
            {"Name": "Bowler Hat", "ProductID": 858383, "Price": 34.45, "Quantity": 4},
            {"Name": "Cloak", "ProductID": 345664, "Price": 107.99, "Quantity": 1}]}
        ]
      }
    }
    """

/// Evaluates `expression` against `input` (JSON text) and returns the result as compact JSON
/// text, `undefined`, `function`, or the error code.
func jsonata(_ expression: String, _ input: String? = nil, bindings: [String: String] = [:]) -> String {
    do {
        let compiled = try JSONataExpression(expression)
        var b = JSONataBindings()
        for (name, text) in bindings { b.bind(name, try JSONParser.parse(text)) }
        let value = try input.map { try JSONParser.parse($0) }
        var counter: UInt64 = 0
        switch try compiled.evaluate(input: value, bindings: b, nowMillis: 1_700_000_000_123, random: {
            counter &+= 0x9E37_79B9_7F4A_7C15
            return counter
        }) {
        case .value(let v): return v.jsonString
        case .undefined: return "undefined"
        case .function: return "function"
        }
    } catch let error as JSONataError {
        return error.code
    } catch {
        return "\(error)"
    }
}

func assertCases(_ cases: [(String, String)], input: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
    for (expression, expected) in cases {
        XCTAssertEqual(jsonata(expression, input), expected, expression, file: file, line: line)
    }
}
