import AWSWire
import JSONCore

/// A JSON value as text the way Step Functions' Java runtime writes one into a string: what
/// `String.valueOf` gives for the plain objects Jackson reads JSON into (`LinkedHashMap`,
/// `ArrayList`, `String`, `Integer`/`Long`/`BigInteger`, `Double`, `Boolean`, `null`). This is
/// not JSON text: a map prints as `{key=value, …}` and a list as `[a, b]`, both with ", "
/// between entries and strings inside them unquoted; an integer prints its digits (`-0` is
/// `0`), any other number as Java's `Double.toString` (`1.0`, `1000.0` for `1e3`, `1.0E7`).
///
/// AWS's own answers, recorded by localstack's AWS-validated snapshot tests
/// (tests/aws/services/stepfunctions/v2/intrinsic_functions/test_generic.snapshot.json):
/// `States.Format('… fst={} …', $.fst)` with `{"Arg1": 1, "Arg2": []}` gives
/// `fst={Arg1=1, Arg2=[]}` (test_format_2), with `$$.StateMachine`
/// `{Id=arn:aws:states:…, Name=…}` (test_context_json_path), with `1.1` and `null` `1.1` and
/// `null` (test_format_1). How other numbers print follows from Jackson's defaults; no
/// recording shows one.
/// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-generic
enum JavaText {
    static func string(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        var out = ""
        append(value, to: &out)
        return out
    }

    static func append(_ value: JSONValue, to out: inout String) {
        switch value {
        case .string(let s): out += s
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += number(n)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                append(item, to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (i, member) in object.storage.enumerated() {
                if i > 0 { out += ", " }
                out += member.key
                out += "="
                append(member.value, to: &out)
            }
            out += "}"
        }
    }

    /// Jackson reads a number without fraction or exponent as an integer (of any size) and
    /// every other one as a `Double`.
    static func number(_ n: JSONNumber) -> String {
        if n.isInteger { return n.text == "-0" ? "0" : n.text }
        return AWSTimestamp.javaDoubleString(n.doubleValue)
    }
}
