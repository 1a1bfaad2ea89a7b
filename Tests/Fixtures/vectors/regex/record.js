// Records what JavaScript's own RegExp answers for each case below into ecmascript.json:
// every match a global search finds (as String.prototype.matchAll walks them), with the
// UTF-16 indexes of the match and of each group (the `d` flag), or that the pattern is a
// SyntaxError. The BoundedRegex tests replay the file against the Swift matcher.
//
//   node Tests/Fixtures/vectors/regex/record.js > Tests/Fixtures/vectors/regex/ecmascript.json
const cases = [
  // literals, escapes, dot
  ['abc', '', 'xxabcxxabc'], ['a.c', '', 'abc a\nc a\rc a\u2028c aXc'], ['\\.', '', 'a.b.c'],
  ['\\t\\n\\v\\f\\r', '', 'x\t\n\v\f\ry'], ['\\x41\\u0042', '', 'zABz'], ['\\cJ', '', 'a\nb'],
  ['\\c1', '', '\\c1'], ['\\0', '', 'a\u0000b'], ['\\101', '', 'zAz'], ['\\8\\9', '', '89'],
  ['\\q\\-\\/', '', 'q-/'], ['a{', '', 'a{'], ['a{1', '', 'a{1'], ['a{,2}', '', 'a{,2}'], ['}]', '', 'x}]'],
  ['\\u{2}', '', 'uu'], ['\\x4', '', 'x4'], ['\\u12', '', 'u12'], ['é+', '', 'ééé e'],
  ['😀', '', 'a😀b'], ['.', '', '😀'], ['^.$', '', '😀'], ['[😀]', '', '😀'],
  // classes
  ['[abc]+', '', 'xxbcaxx'], ['[^abc]+', '', 'abxyzc'], ['[a-c-e]+', '', 'zab-ez'], ['[\\d-z]+', '', 'a1-z'],
  ['[-a]+', '', 'x-a-'], ['[a-]+', '', 'x-a-'], ['[\\w.]+', '', '  foo.bar_1  '], ['[\\s]+', '', 'a \t\u00a0\ufeffb'],
  ['[\\S]+', '', '  ab  '], ['[\\D]+', '', '12ab34'], ['[^\\W]+', '', '!!ab_1!!'], ['[\\b]', '', 'a\bb'],
  ['[]', '', 'abc'], ['[^]', '', 'ab'], ['[\\]]+', '', 'a]]b'], ['[\\u0041-\\u0043]+', '', 'zABCDz'],
  ['[\\cA]', '', 'a\u0001'], ['[\\c1]', '', '\u0011'], ['[\\c_]', '', '\u001f'], ['[\\1]', '', '\u0001'],
  ['\\d+', '', 'ab 123 45'], ['\\D+', '', 'ab 123 45'], ['\\w+', '', 'héllo wörld'], ['\\W+', '', 'a, b;c'],
  ['\\s+', '', 'a \u3000\u2028 b'], ['\\S+', '', ' x y '],
  // anchors and boundaries
  ['^a', '', 'aaa'], ['a$', '', 'aaa'], ['^a', 'm', 'a\na\r\na'], ['a$', 'm', 'a\na\r\na'], ['^$', 'm', 'a\n\nb'],
  ['^', '', 'abc'], ['$', '', 'abc'], ['\\bfoo\\b', '', 'foo foobar barfoo foo'], ['\\Boo\\B', '', 'foo boot'],
  ['\\b', '', 'ab cd'], ['\\B', '', 'ab cd'], ['^abc$', '', 'abc\n'], ['x^', '', 'x^'], ['^|a', '', 'bab'],
  // alternation and groups
  ['a|ab', '', 'ab'], ['ab|a', '', 'ab'], ['(a|ab)(c|bcd)(d*)', '', 'abcd'], ['(?:ab)+', '', 'ababab'],
  ['(a)|(b)', '', 'ab'], ['((a)|b)+', '', 'ab'], ['(a*)*', '', 'b'], ['(a*)+', '', 'b'], ['(a|b)*c', '', 'abac'],
  ['(z)((a+)?(b+)?(c))*', '', 'zaacbbbcac'], ['(?<year>\\d{4})-(?<month>\\d{2})', '', 'on 2024-05 and 1999-12'],
  ['(?<x>a)\\k<x>', '', 'aa ab'], ['\\k<x>(?<x>a)', '', 'a'], ['(a)|\\1b', '', 'b'], ['\\k', '', 'k'],
  ['(a)\\1', '', 'aa aA'], ['(a)\\1', 'i', 'aa aA'], ['\\1(a)', '', 'aa'], ['(a\\1)', '', 'aa'], ['(a)(b)?\\2c', '', 'ac'],
  ['(.)(.)(.)(.)(.)(.)(.)(.)(.)(.)\\10', '', 'abcdefghijj'], ['(a)\\2', '', 'a\u0002'], ['()', '', 'ab'],
  // quantifiers
  ['a*', '', 'aaab'], ['a*?', '', 'aaab'], ['a+?', '', 'aaab'], ['a??b', '', 'ab'], ['a{2}', '', 'aaaaa'],
  ['a{2,}', '', 'a aa aaaaa'], ['a{2,3}', '', 'aaaaaaa'], ['a{2,3}?', '', 'aaaaaaa'], ['a{0}b', '', 'ab'],
  ['(ab){2}', '', 'abababab'], ['(a|b){2,3}?c', '', 'ababc'], ['x*y+?', '', 'xxyyy'], ['.*foo', '', 'xfooyfoo'],
  ['.*?foo', '', 'xfooyfoo'], ['<.+>', '', '<a><b>'], ['<.+?>', '', '<a><b>'], ['(a+)+b', '', 'aaab'],
  ['(?:a?)*?b', '', 'aab'], ['(?:a|())*', '', 'aab'], ['(a|)+b', '', 'aab'], ['(\\d+)\\s*(px|em)', '', '12px 3 em'],
  ['a{99999999999}', '', 'aaa'], ['a{1,2}{3}', '', 'aaaaaa'],
  // lookarounds
  ['foo(?=bar)', '', 'foobaz foobar'], ['foo(?!bar)', '', 'foobar foobaz'], ['(?=(a+))a*b\\1', '', 'baaabac'],
  ['(?=(a+))', '', 'baaabac'], ['(?!(a))\\w', '', 'ab'], ['(?<=\\$)\\d+', '', 'cost $42 or 7'],
  ['(?<!\\$)\\b\\d+', '', 'cost $42 or 7'], ['(?<=(a+))b', '', 'aab'], ['(?=a)*b', '', 'ab'], ['(?=a){2}a', '', 'a'],
  ['(?<=^|,)\\w+', '', 'a,bc,d'],
  // case-insensitive
  ['abc', 'i', 'xABCx aBc'], ['[a-z]+', 'i', '12AbC'], ['[A-Z]+', 'i', 'abc'], ['[^a-z]+', 'i', 'AB12'],
  ['é', 'i', 'É'], ['\u017f', 'i', 's S \u017f'], ['s', 'i', '\u017f'], ['\u212a', 'i', 'k K \u212a'],
  ['\\w+', 'i', 'K\u212a'], ['ß', 'i', 'ẞ SS ß'], ['σ', 'i', 'Σ ς σ'], ['[\\u00e0-\\u00e5]+', 'i', 'ÀÁÂ'],
  // syntax errors
  ['(', '', ''], [')', '', ''], ['a)', '', ''], ['(?', '', ''], ['(?x)', '', ''], ['[', '', ''], ['[a', '', ''],
  ['[b-a]', '', ''], ['*', '', ''], ['a**', '', ''], ['+a', '', ''], ['?', '', ''], ['a{2,1}', '', ''], ['{1}', '', ''],
  ['x{1}{2}', '', ''], ['\\', '', ''], ['a\\', '', ''], ['^*', '', ''], ['\\b+', '', ''], ['(?<=a)+', '', ''],
  ['(?<n>a)(?<n>b)', '', ''], ['(?<1a>x)', '', ''], ['(?<>x)', '', ''], ['(?<n>a)\\k<m>', '', ''], ['(?<n>a)\\k', '', ''],
  ['[\\d-z]', '', 'a'], ['(a', '', ''], ['a|*', '', ''],
];

const out = [];
for (const [pattern, flags, input] of cases) {
  let re;
  try {
    re = new RegExp(pattern, flags + 'dg');
  } catch (e) {
    out.push({ pattern, flags, input, error: true });
    continue;
  }
  const matches = [];
  let m;
  while ((m = re.exec(input)) !== null && matches.length < 50) {
    matches.push({ range: m.indices[0], captures: m.indices.slice(1).map((c) => c ?? null) });
    if (m[0] === '') re.lastIndex += 1;
  }
  out.push({ pattern, flags, input, matches });
}
const source = `recorded by Tests/Fixtures/vectors/regex/record.js with Node.js ${process.version} (V8 ${process.versions.v8})`;
console.log(JSON.stringify({ source, cases: out }, null, 1));
