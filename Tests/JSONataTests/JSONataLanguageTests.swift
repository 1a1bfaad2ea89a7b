import XCTest

@testable import JSONata

final class JSONataLanguageTests: XCTestCase {
    func testPathsAndFlattening() {
        assertCases([
            ("Surname", "\"Smith\""),
            ("Address.City", "\"Winchester\""),
            ("Other.Misc", "null"),
            ("Other.Nothing", "undefined"),
            ("Other.`Over 18 ?`", "true"),
            ("Phone[0].number", "\"0203 544 1234\""),
            ("Phone[-1].number", "\"077 7700 1234\""),
            ("Phone[0..1].type", "[\"home\",\"office\"]"),
            ("Phone[[0..1]].type", "[\"home\",\"office\"]"),
            ("Phone.number[0]", "[\"0203 544 1234\",\"01962 001234\",\"01962 001235\",\"077 7700 1234\"]"),
            ("(Phone.number)[0]", "\"0203 544 1234\""),
            ("Phone[type='mobile'].number", "\"077 7700 1234\""),
            ("Phone[type='office'].number", "[\"01962 001234\",\"01962 001235\"]"),
            ("Phone[type='mobile'].number[]", "[\"077 7700 1234\"]"),
            ("Email.address", "[\"fred.smith@my-work.com\",\"fsmith@my-work.com\",\"freddy@my-social.com\",\"frederic.smith@very-serious.com\"]"),
            ("Email[type='home'].address[1]", "\"frederic.smith@very-serious.com\""),
            ("Address.*", "[\"Hursley Park\",\"Winchester\",\"SO21 2JN\"]"),
            ("*.Postcode", "\"SO21 2JN\""),
            ("**.Postcode", "\"SO21 2JN\""),
            ("Account.Order.Product.Price", "[34.45,21.67,34.45,107.99]"),
            ("Account.Order[0].Product[0].Name", "\"Bowler Hat\""),
            ("Account.Order.Product[0].Name", "[\"Bowler Hat\",\"Bowler Hat\"]"),
            ("$.Age", "28"),
            ("Address.[Street, City]", "[\"Hursley Park\",\"Winchester\"]"),
            ("[Address, Other.`Alternative.Address`].City", "[\"Winchester\",\"London\"]"),
            ("Phone.{type: number}", "[{\"home\":\"0203 544 1234\"},{\"office\":\"01962 001234\"},{\"office\":\"01962 001235\"},{\"mobile\":\"077 7700 1234\"}]"),
            ("Phone{type: number}", "{\"home\":\"0203 544 1234\",\"office\":[\"01962 001234\",\"01962 001235\"],\"mobile\":\"077 7700 1234\"}"),
            ("Phone{type: $count(number)}", "{\"home\":1,\"office\":2,\"mobile\":1}"),
            ("Account.Order.Product{Name: $sum($.(Price * Quantity))}", "{\"Bowler Hat\":206.70000000000002,\"Trilby hat\":21.67,\"Cloak\":107.99}"),
            ("Account.Order.Product^(Price).Name", "[\"Trilby hat\",\"Bowler Hat\",\"Bowler Hat\",\"Cloak\"]"),
            ("Account.Order.Product^(>Price, <Quantity).Quantity", "[1,2,4,1]"),
            ("Account.Order#$i.OrderID", "[\"order103\",\"order104\"]"),
            ("Account.Order#$i.Product.{'o': $i, 'n': Name}", "[{\"o\":0,\"n\":\"Bowler Hat\"},{\"o\":0,\"n\":\"Trilby hat\"},{\"o\":1,\"n\":\"Bowler Hat\"},{\"o\":1,\"n\":\"Cloak\"}]"),
            ("Account.Order.Product{Name: $sum(Price * Quantity)}", "T2001"),
        ], input: sampleDocument)
        XCTAssertEqual(jsonata("l@$l.b@$b[$l.id=$b.id].{'n': $b.n, 'l': $l.id}", #"{"l":[{"id":1},{"id":2}],"b":[{"id":1,"n":"x"},{"id":2,"n":"y"},{"id":3,"n":"z"}]}"#), #"[{"n":"x","l":1},{"n":"y","l":2}]"#)
    }

    func testOperators() {
        assertCases([
            ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("7 % 3", "1"), ("-5 % 3", "-2"), ("10 / 4", "2.5"),
            ("0.1 + 0.2", "0.30000000000000004"), ("1 - -1", "2"), ("-(1 + 2)", "-3"),
            ("1 = 1", "true"), ("1 != 1", "false"), ("'a' < 'b'", "true"), ("2 >= 2", "true"), ("'a' = 1", "false"),
            ("[1,2] = [1,2]", "true"), ("{'a':1} = {'a':1}", "true"), ("nothing = 1", "false"),
            ("'a' & 'b' & 1", "\"ab1\""), ("'x' & nothing", "\"x\""), ("'v' & (0.1 + 0.2)", "\"v0.3\""), ("'v' & 0.1 + 0.2", "T2001"), ("'a' & [1,2]", "\"a[1,2]\""),
            ("true and false", "false"), ("true or nothing", "true"), ("nothing and true", "false"),
            ("3 in [1,2,3]", "true"), ("'a' in 'a'", "true"), ("4 in [1,2]", "false"),
            ("[1..5]", "[1,2,3,4,5]"), ("[1..3, 7]", "[1,2,3,7]"), ("[5..1]", "[]"), ("[1, [2, 3]]", "[1,[2,3]]"),
            ("1 > 2 ? 'yes' : 'no'", "\"no\""), ("false ? 1", "undefined"),
            ("($x := 5; $y := $x * 2; $y + 1)", "11"),
            ("($f := function($a, $b) { $a * $b }; $f(3, 4))", "12"),
            ("(function($n) { $n < 2 ? $n : $n + 1 })(5)", "6"),
            ("($fact := function($n) { $n <= 1 ? 1 : $n * $fact($n - 1) }; $fact(10))", "3628800"),
            ("($add := function($a, $b) { $a + $b }; $inc := $add(?, 1); $inc(41))", "42"),
            ("'hello' ~> $uppercase()", "\"HELLO\""),
            ("[1,2,3] ~> $map(function($v) { $v * 2 }) ~> $sum()", "12"),
            ("($double := function($x){$x*2}; $triple := function($x){$x*3}; $six := $double ~> $triple; $six(2))", "12"),
            ("{'a': 1, 'b': [true, null]}", "{\"a\":1,\"b\":[true,null]}"),
            ("{'a': nothing}", "{}"),
            ("\"esc\\\"aped\\u00e9\"", "\"esc\\\"apedé\""),
            ("/* comment */ 42", "42"),
            ("1e3 + 1.5E-1", "1000.15"),
            ("$string(1e21)", "\"1e+21\""), ("$string(1e20)", "\"100000000000000000000\""), ("$string(0.0000001)", "\"1e-7\""),
            ("1/0", "\"Infinity\""),
            ("$not(true)", "false"),
        ])
    }

    func testParentOperator() {
        assertCases([
            ("Account.Order.Product.{'Product': Name, 'Order': %.OrderID}", #"[{"Product":"Bowler Hat","Order":"order103"},{"Product":"Trilby hat","Order":"order103"},{"Product":"Bowler Hat","Order":"order104"},{"Product":"Cloak","Order":"order104"}]"#),
            ("Account.Order.Product.%.OrderID", #"["order103","order103","order104","order104"]"#),
            ("Account.Order.Product[%.OrderID='order104'].Name", #"["Bowler Hat","Cloak"]"#),
            ("Account.Order.Product.{'n': Name, 'orders': $count(%.%.Order)}.orders", "[2,2,2,2]"),
            ("Account.Order.Product^(>%.OrderID).Name", #"["Bowler Hat","Cloak","Bowler Hat","Trilby hat"]"#),
            ("Address.%.Surname", #""Smith""#),
            ("Phone[%.Age > 20].type", #"["home","office","office","mobile"]"#),
            ("Account.Order.(Product.($string(%.OrderID) & ':' & Name))", #"["order103:Bowler Hat","order103:Trilby hat","order104:Bowler Hat","order104:Cloak"]"#),
            ("%", "S0217"), ("%.Surname", "S0217"), ("{'p': %}", "S0217"), ("Address.%.%", "S0217"),
        ], input: sampleDocument)
    }

    func testErrors() {
        assertCases([
            ("1 + 'a'", "T2002"), ("'a' + 1", "T2001"), ("1 < 'a'", "T2009"), ("{} < 1", "T2010"),
            ("-'a'", "D1002"), ("[1.5..3]", "T2003"), ("[1..3.5]", "T2004"),
            ("$nothing()", "T1006"), ("foo()", "T1005"), ("1 ~> 2", "T2006"),
            ("{1: 2}", "T1003"), ("[1,2", "S0203"), ("1 +", "S0207"), ("(1))", "S0201"), ("'abc", "S0101"),
            ("a.1", "S0213"), ("5 := 1", "S0212"), ("$substring(1, 2, 3, 4)", "T0410"), ("$join([1,2])", "T0412"),
            ("$error('boom')", "D3137"), ("$assert(false, 'no')", "D3141"), ("$sort([1,'a'])", "D3070"),
            ("$single([1,2])", "D3138"), ("$single([])", "D3139"), ("$number('x')", "D3030"), ("$sqrt(-1)", "D3060"),
            ("$eval('1')", "T1006"), ("a ?: b", "S0211"), ("a ?? b", "S0211"),
            ("($f := function($n) { $f($n + 1) + 1 }; $f(0))", "U1001"), ("$x := 1; $x", "S0201"),
        ])
    }

    /// Arguments far outside any sensible range answer (or fail) without trapping.
    func testHugeNumbersDoNotTrap() {
        assertCases([
            ("[1,2][1e300]", "undefined"), ("[1,2][-1e300]", "undefined"), ("[1e300..1e300]", "[1e+300]"),
            ("$substring('abc', 1e300)", "\"\""), ("$substring('abc', 1, 1e300)", "\"bc\""), ("$substring('abc', -1e300)", "\"abc\""),
            ("$split('a b', ' ', 1e300)", "[\"a\",\"b\"]"), ("$pad('x', 1e300)", "D3150"), ("$formatBase(1e300)", "\"9007199254740992\""),
            ("$formatInteger(1e300, '0')", "\"9007199254740992\""), ("$formatNumber(1e22, '#,##0')", "\"10,000,000,000,000,000,000,000\""),
            ("$round(1.5, 1e300)", "1.5"), ("$fromMillis(1e300) ~> $type()", "\"string\""), ("$partition([1,2], 1e300)", "[[1,2]]"),
            ("$range(0, 1e300, 1e300)", "[0,9007199254740992]"), ("$range(0, 1e300, 1)", "D3150"),
            (String(repeating: "(", count: 400) + "1" + String(repeating: ")", count: 400), "S0201"),
        ])
    }

    func testEvaluationErrorsCarryPositions() {
        do {
            _ = try JSONataExpression("1 + 'a'").evaluate(JSONataBindings())
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.code, "T2002")
            XCTAssertEqual(error.position, 2)
            XCTAssertEqual(error.description, "T2002: The right side of the \"+\" operator must evaluate to a number")
        }
    }

    func testUnsupportedReferences() throws {
        XCTAssertEqual(try JSONataExpression("phone").unsupportedReference, "phone")
        XCTAssertEqual(try JSONataExpression("{'v': phone}").unsupportedReference, "phone")
        XCTAssertEqual(try JSONataExpression("$$.x").unsupportedReference, "$$")
        XCTAssertNil(try JSONataExpression("$states.input.items[value > 3]").unsupportedReference)
        XCTAssertNil(try JSONataExpression("$states.input.a{k: v}").unsupportedReference)
        XCTAssertEqual(try JSONataExpression("$map($states.input.a, function($x){ b })").unsupportedReference, "b")
        XCTAssertEqual(try JSONataExpression("$x + $states.input.y + $count($z)").variableReferences, ["x", "states", "z", "count"])
    }
}
