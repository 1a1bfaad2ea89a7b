import XCTest

@testable import JSONata

final class JSONataFunctionTests: XCTestCase {
    func testStringFunctions() {
        assertCases([
            ("$string(5)", "\"5\""), ("$string({'a': [1, 'x']})", "\"{\\\"a\\\":[1,\\\"x\\\"]}\""), ("$string([1,2], true)", "\"[\\n  1,\\n  2\\n]\""),
            ("$length('héllo')", "5"), ("$substring('Hello World', 3)", "\"lo World\""), ("$substring('Hello World', 3, 5)", "\"lo Wo\""),
            ("$substring('Hello World', -4)", "\"orld\""), ("$substring('Hello World', -4, 1)", "\"o\""),
            ("$substringBefore('Hello World', ' ')", "\"Hello\""), ("$substringAfter('Hello World', ' ')", "\"World\""),
            ("$substringAfter('Hello', 'z')", "\"Hello\""),
            ("$uppercase('Hello')", "\"HELLO\""), ("$lowercase('Hello')", "\"hello\""),
            ("$trim('  Hello \\n World  ')", "\"Hello World\""),
            ("$pad('foo', 5)", "\"foo  \""), ("$pad('foo', -5, '#')", "\"##foo\""), ("$pad('5', 3, '0')", "\"500\""),
            ("$contains('abracadabra', 'bra')", "true"), ("$contains('abracadabra', /a.*a/)", "true"), ("$contains('abc', /^b/)", "false"),
            ("$split('so many words', ' ')", "[\"so\",\"many\",\"words\"]"), ("$split('so many words', ' ', 2)", "[\"so\",\"many\"]"),
            ("$split('too much, punctuation. hard; to read', /[ ,.;]+/)", "[\"too\",\"much\",\"punctuation\",\"hard\",\"to\",\"read\"]"),
            ("$join(['a','b','c'], '-')", "\"a-b-c\""), ("$join(['a','b'])", "\"ab\""),
            ("$match('ababbabbcc', /a(b+)/)", "[{\"match\":\"ab\",\"index\":0,\"groups\":[\"b\"]},{\"match\":\"abb\",\"index\":2,\"groups\":[\"bb\"]},{\"match\":\"abb\",\"index\":5,\"groups\":[\"bb\"]}]"),
            ("$match('ab', /a(b+)/).groups", "[\"b\"]"),
            ("$replace('John Smith and John Jones', 'John', 'Mr')", "\"Mr Smith and Mr Jones\""),
            ("$replace('John Smith and John Jones', 'John', 'Mr', 1)", "\"Mr Smith and John Jones\""),
            ("$replace('abracadabra', /a.*?a/, '*')", "\"*c*bra\""),
            ("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", "\"Smith, John\""),
            ("$replace('265USD', /([0-9]+)USD/, '$$$1')", "\"$265\""),
            ("$replace('temp 28C', /(\\d+)C/, function($m) { $string($number($m.groups[0]) * 2) & 'F' })", "\"temp 56F\""),
            ("$base64encode('myuser:mypass')", "\"bXl1c2VyOm15cGFzcw==\""), ("$base64decode('bXl1c2VyOm15cGFzcw==')", "\"myuser:mypass\""),
            ("$encodeUrlComponent('?x=test')", "\"%3Fx%3Dtest\""), ("$encodeUrl('https://mozilla.org/?x=шеллы')", "\"https://mozilla.org/?x=%D1%88%D0%B5%D0%BB%D0%BB%D1%8B\""),
            ("$decodeUrlComponent('%3Fx%3Dtest')", "\"?x=test\""), ("$decodeUrl('%E0%A4%A')", "D3140"),
            ("$contains('HELLO', /hello/i)", "true"),
            ("$uppercase(nothing)", "undefined"),
        ])
        XCTAssertEqual(jsonata("Name.$uppercase()", "{\"Name\": \"fred\"}"), "\"FRED\"")
        XCTAssertEqual(jsonata("$substring(1)", "\"abc\""), "\"bc\"")
    }

    func testNumericFunctions() {
        assertCases([
            ("$number('5.5')", "5.5"), ("$number('0x12')", "18"), ("$number(true)", "1"),
            ("$abs(-5)", "5"), ("$floor(5.8)", "5"), ("$ceil(5.2)", "6"),
            ("$round(123.456)", "123"), ("$round(123.456, 2)", "123.46"), ("$round(11.5)", "12"), ("$round(12.5)", "12"), ("$round(125, -1)", "120"),
            ("$power(2, 8)", "256"), ("$power(2, -1)", "0.5"), ("$power(2, 0.5)", "1.4142135623730951"), ("$sqrt(4)", "2"),
            ("$formatNumber(12345.6, '#,###.00')", "\"12,345.60\""), ("$formatNumber(1234.5678, '00.000')", "\"1234.568\""),
            ("$formatNumber(0.14, '01%')", "\"14%\""), ("$formatNumber(-6, '000')", "\"-006\""),
            ("$formatBase(100, 2)", "\"1100100\""), ("$formatBase(2555, 16)", "\"9fb\""), ("$formatBase(1, 40)", "D3100"),
            ("$formatInteger(2789, '#,##0')", "\"2,789\""), ("$formatInteger(12, '000')", "\"012\""), ("$formatInteger(1999, 'I')", "\"MCMXCIX\""),
            ("$sum([5,1,3,7,4])", "20"), ("$max([5,1,3,7,4])", "7"), ("$min([5,1,3,7,4])", "1"), ("$average([5,1,3,7,4])", "4"),
            ("$sum([])", "0"), ("$max([])", "undefined"), ("$count([1,2,3,1])", "4"), ("$count(nothing)", "0"), ("$count(null)", "1"),
            ("$sum(['a'])", "T0412"),
        ])
        XCTAssertEqual(jsonata("$sum(Account.Order.Product.(Price * Quantity))", sampleDocument), "336.36")
    }

    func testArrayObjectAndBooleanFunctions() {
        assertCases([
            ("$append([1,2], [3,4])", "[1,2,3,4]"), ("$append(1, 2)", "[1,2]"), ("$append([1], nothing)", "[1]"),
            ("$reverse(['a','b','c'])", "[\"c\",\"b\",\"a\"]"), ("$distinct([1,2,2,'a','a',[1],[1]])", "[1,2,\"a\",[1]]"),
            ("$zip([1,2,3], [4,5,6])", "[[1,4],[2,5],[3,6]]"), ("$zip([1,2,3], [4,5])", "[[1,4],[2,5]]"),
            ("$keys({'a': 1, 'b': 2})", "[\"a\",\"b\"]"), ("$keys({'a': 1})", "\"a\""), ("$keys([{'a':1},{'b':2,'a':3}])", "[\"a\",\"b\"]"),
            ("$lookup({'a': 1}, 'a')", "1"), ("$spread({'a': 1, 'b': 2})", "[{\"a\":1},{\"b\":2}]"),
            ("$merge([{'a': 1}, {'b': 2}, {'a': 3}])", "{\"a\":3,\"b\":2}"),
            ("$type('x')", "\"string\""), ("$type(null)", "\"null\""), ("$type([])", "\"array\""), ("$type(function(){1})", "\"function\""), ("$type(nothing)", "undefined"),
            ("$boolean(0)", "false"), ("$boolean('0')", "true"), ("$boolean([])", "false"), ("$boolean([0, 1])", "true"), ("$boolean({})", "false"),
            ("$exists(nothing)", "false"), ("$exists(null)", "true"),
            ("$shuffle([1,2,3]) ~> $count()", "3"), ("$sort($shuffle([3,1,2]))", "[1,2,3]"),
        ])
    }

    func testHigherOrderFunctions() {
        assertCases([
            ("$map([1,2,3], function($v) { $v * 2 })", "[2,4,6]"),
            ("$map([1,2,3], function($v, $i) { $v * $i })", "[0,2,6]"),
            ("$map([1], function($v) { $v })", "1"),
            ("$filter([1,2,3,4], function($v) { $v % 2 = 0 })", "[2,4]"),
            ("$single([1,2,3], function($v) { $v = 2 })", "2"),
            ("$reduce([1,2,3,4], function($acc, $v) { $acc + $v })", "10"),
            ("$reduce([1,2,3,4], function($acc, $v) { $acc + $v }, 10)", "20"),
            ("$reduce([1], function($a) { $a })", "D3050"),
            ("$sort([3,1,2])", "[1,2,3]"), ("$sort(['b','a','C'])", "[\"C\",\"a\",\"b\"]"),
            ("$sort([{'n':2},{'n':1}], function($l, $r) { $l.n > $r.n }).n", "[1,2]"),
            ("$each({'a': 1, 'b': 2}, function($v, $k) { $k & '=' & $v })", "[\"a=1\",\"b=2\"]"),
            ("$sift({'a': 1, 'b': 2}, function($v) { $v > 1 })", "{\"b\":2}"),
            ("($greater := function($l, $r) { $l > $r }; $sort([1,3,2], $greater))", "[1,2,3]"),
        ])
    }

    func testDateTimeFunctions() {
        assertCases([
            ("$millis()", "1700000000123"), ("$now()", "\"2023-11-14T22:13:20.123Z\""),
            ("$fromMillis(1510067557121)", "\"2017-11-07T15:12:37.121Z\""),
            ("$fromMillis(1510067557121, '[M01]/[D01]/[Y0001] [h#1]:[m01][P]')", "\"11/07/2017 3:12pm\""),
            ("$fromMillis(1510067557121, '[H01]:[m01]', '-0500')", "\"10:12\""),
            ("$fromMillis(1510067557121, '[FNn], [D1] [MNn] [Y]')", "\"Tuesday, 7 November 2017\""),
            ("$fromMillis(0, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z]', '+0100')", "\"1970-01-01T01:00:00+01:00\""),
            ("$toMillis('2017-11-07T15:07:54.972Z')", "1510067274972"), ("$toMillis('2018-02-01')", "1517443200000"),
            ("$toMillis('2017-11-07T15:07:54+01:00')", "1510063674000"), ("$toMillis('yesterday')", "D3110"),
            ("$toMillis('2018-02-01 09:42', '[Y0001]-[M01]-[D01] [H01]:[m01]')", "1517478120000"),
            // Found by the fuzzer: a digit of another script, and digits enough to overflow,
            // read as no date rather than trapping.
            ("$toMillis('2018-02-01 0\u{0669}:42', '[Y0001]-[M01]-[D01] [H01]:[m01]')", "undefined"),
            ("$toMillis('99999999999999999999', '[Y]')", "undefined"),
            ("$toMillis('999999999', '[Y]')", "undefined"),
        ])
    }

    func testStepFunctionsFunctions() {
        assertCases([
            ("$partition([1,2,3,4], 2)", "[[1,2],[3,4]]"), ("$partition([1,2,3], 2)", "[[1,2],[3]]"), ("$partition([1], 5)", "[[1]]"),
            ("$partition([1,2,3], 2.9)", "[[1,2],[3]]"), ("$partition([], 2)", "undefined"), ("$partition([1], 0)", "undefined"),
            ("$range(0, 10, 2)", "[0,2,4,6,8,10]"), ("$range(1, 8, 2)", "[1,3,5,7]"), ("$range(9, 1, -2)", "[9,7,5,3,1]"),
            ("$range(3, 3, 1)", "3"), ("$range(-1.7, 2, 1)", "[-1,0,1,2]"), ("$range(1, 3, 0)", "undefined"), ("$range(3, 1, 1)", "undefined"),
            ("$range(0, 4)", "undefined"), ("$range('0', 4, 1)", "T0410"), ("$range(0, 4, 1, 2)", "T0410"),
            ("$hash('Hello', 'SHA-256')", "\"185f8db32271fe25f561a6fc938b2e264306ec304eda518007d1764826381969\""),
            ("$hash('Hello', 'MD5')", "\"8b1a9953c4611296a827abf8c47804d7\""), ("$hash('Hello', 'sha-256')", "D3137"),
            ("$random(7) = $random(7)", "true"), ("$random() < 1", "true"),
            ("$length($uuid())", "36"), ("$substring($uuid(), 14, 1)", "\"4\""),
            ("$parse('{\"a\": [1, 2]}')", "{\"a\":[1,2]}"), ("$parse('\"Hello\"')", "\"Hello\""), ("$parse('{')", "D3030"),
        ])
    }
}
