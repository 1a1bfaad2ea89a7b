"""Seeded random expressions and inputs for the ASL fuzzer: intrinsic function calls, JSONata
expressions, JSONPath references and execution inputs, leaning on the values that break
arithmetic and parsers (64-bit edges, 1e300, strings that look like numbers, odd unicode)."""
import json

INT64_MAX = 9223372036854775807
NUMBERS = [0, 1, -1, 2, 7, 0.5, -2.5, 1e300, -1e300, 1e-300, INT64_MAX, -INT64_MAX - 1, INT64_MAX + 1,
           2**53 + 1, 4294967296, 1000, 1001, 10000, -0.0]
NUMERIC_STRINGS = ["NaN", "-NaN", "Infinity", "-Infinity", "1e400", "-1e400", "0x10", "1_000", " 1", "1.", ".5",
                   "9223372036854775808", "-9223372036854775809", "00", "+1", "", "٣"]
TEXTS = ["", "a", "hello world", "{}", "[1,2]", '{"a":1}', "\u00e9\u00e8", "\U0001f984", "\ud7ff", "\x00", "a,b,,c",
         "{}{}{}", "\\", "'", "\n", "aGVsbG8=", "!!notbase64", "2016-03-14T01:59:00Z", "9999-12-31T23:59:59Z", "x" * 300]
INPUT_KEYS = ["a", "n", "s", "xs", "o", "b", "t", "big", "neg", "nan", "deep"]

INTRINSICS = {
    # name: argument kinds (n number, s string, a array, j json text, v any, *: variadic tail)
    "States.Format": "s*", "States.StringToJson": "s", "States.JsonToString": "v", "States.Array": "*",
    "States.ArrayPartition": "an", "States.ArrayContains": "av", "States.ArrayRange": "nnn",
    "States.ArrayGetItem": "an", "States.ArrayLength": "a", "States.ArrayUnique": "a",
    "States.Base64Encode": "s", "States.Base64Decode": "s", "States.Hash": "ss", "States.JsonMerge": "vvv",
    "States.MathRandom": "nn", "States.MathAdd": "nn", "States.StringSplit": "ss", "States.UUID": "",
}
HASHES = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "sha-256", "CRC32", ""]

JSONATA_FUNCTIONS = [
    ("$string", 1), ("$number", 1), ("$abs", 1), ("$floor", 1), ("$ceil", 1), ("$round", 2), ("$power", 2),
    ("$sqrt", 1), ("$sum", 1), ("$max", 1), ("$min", 1), ("$average", 1), ("$count", 1), ("$length", 1),
    ("$substring", 3), ("$uppercase", 1), ("$lowercase", 1), ("$join", 2), ("$split", 2), ("$contains", 2),
    ("$replace", 3), ("$formatNumber", 2), ("$formatBase", 2), ("$formatInteger", 2), ("$fromMillis", 1),
    ("$toMillis", 1), ("$hash", 2), ("$partition", 2), ("$range", 3), ("$parse", 1), ("$keys", 1),
    ("$append", 2), ("$reverse", 1), ("$sort", 1), ("$distinct", 1), ("$exists", 1), ("$type", 1),
    ("$boolean", 1), ("$not", 1), ("$zip", 2), ("$merge", 1), ("$spread", 1), ("$base64encode", 1),
    ("$base64decode", 1), ("$encodeUrl", 1), ("$decodeUrlComponent", 1), ("$pad", 3), ("$trim", 1),
    ("$single", 1), ("$shuffle", 1), ("$random", 0), ("$uuid", 0), ("$millis", 0), ("$now", 0), ("$lookup", 2),
]


class ExpressionGenerator:
    """Intrinsics, JSONata and inputs from one `random.Random`."""

    def __init__(self, rng):
        self.rng = rng

    def pick(self, values):
        return self.rng.choice(values)

    # --- execution inputs

    def input(self):
        value = {}
        for key in self.rng.sample(INPUT_KEYS, self.rng.randint(0, len(INPUT_KEYS))):
            value[key] = self.json_value(0, key)
        if self.rng.random() < 0.05:
            return self.pick([[], [1, 2], "text", 7, None, True])
        return value

    def json_value(self, depth, hint=None):
        if hint in ("n", "big", "neg") and self.rng.random() < 0.8:
            return self.pick({"n": [0, 1, 2, 7, 299, 301, 1000, 0.5], "big": NUMBERS[7:12], "neg": [-1, -2.5, -1e300]}[hint])
        if hint == "t" and self.rng.random() < 0.8:
            return self.pick(["2016-03-14T01:59:00Z", "9999-12-31T23:59:59Z", "2024-02-30T00:00:00Z", "now"])
        if hint == "s" and self.rng.random() < 0.8:
            return self.pick(TEXTS + NUMERIC_STRINGS)
        if hint == "o" and self.rng.random() < 0.8:
            return {"a": self.json_value(depth + 1), "b": self.json_value(depth + 1)}
        if hint == "xs":
            return [self.json_value(depth + 1) for _ in range(self.rng.randint(0, 5))]
        if hint == "deep":
            nested = "bottom"
            for _ in range(self.rng.choice([5, 60])):
                nested = {"d": nested}
            return nested
        roll = self.rng.random()
        if roll < 0.3:
            return self.pick(NUMBERS)
        if roll < 0.5:
            return self.pick(TEXTS + NUMERIC_STRINGS)
        if roll < 0.6:
            return self.pick([True, False, None])
        if depth > 2:
            return self.pick(NUMBERS)
        if roll < 0.8:
            return [self.json_value(depth + 1) for _ in range(self.rng.randint(0, 4))]
        return {self.pick(INPUT_KEYS): self.json_value(depth + 1) for _ in range(self.rng.randint(0, 3))}

    # --- JSONPath references and intrinsics

    def path(self):
        return self.pick(["$", "$.a", "$.n", "$.s", "$.xs", "$.xs[0]", "$.xs[-1:]", "$.xs[0:2]", "$.o.a", "$.missing",
                          "$.big", "$.deep.d.d", "$$.Execution.Id", "$$.Execution.Input", "$$.State.EnteredTime",
                          "$$.State.RetryCount", "$$.Map.Item.Value", "$.xs[*]", "$..a", "$.xs.length()"])

    def intrinsic(self, depth=0):
        name = self.pick(list(INTRINSICS))
        kinds = INTRINSICS[name]
        args = []
        for kind in kinds.rstrip("*"):
            args.append(self.argument(kind, depth, name))
        if kinds.endswith("*"):
            args += [self.argument(self.pick("nsv"), depth, name) for _ in range(self.rng.randint(0, 3))]
        if name == "States.Format" and args and self.rng.random() < 0.7:
            args[0] = self.quote(" ".join("{}" for _ in args[1:]) + self.pick(["", " {}", "\\{", " '"]))
        return f"{name}({', '.join(args)})"

    def argument(self, kind, depth, name):
        roll = self.rng.random()
        if depth < 2 and roll < 0.2:
            return self.intrinsic(depth + 1)
        if roll < 0.4:
            return self.path() if kind in "vs" or self.rng.random() < 0.3 else self.number_literal()
        if name == "States.Hash" and kind == "s" and self.rng.random() < 0.5:
            return self.quote(self.pick(HASHES))
        if kind == "n":
            return self.number_literal()
        if kind == "s":
            return self.quote(self.pick(TEXTS + NUMERIC_STRINGS))
        if kind == "a":
            return f"States.Array({', '.join(self.number_literal() for _ in range(self.rng.randint(0, 4)))})"
        return self.pick([self.number_literal(), self.quote(self.pick(TEXTS)), "null", "true", self.path()])

    def number_literal(self):
        value = self.pick(NUMBERS if self.rng.random() < 0.35 else [0, 1, 2, 3, 10])
        return repr(value) if isinstance(value, float) else str(value)

    def quote(self, text):
        escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace("{", "\\{").replace("}", "\\}")
        return f"'{escaped}'"

    def parameters(self, depth=0):
        """A payload template: plain values, `.$` paths and intrinsics, nested."""
        template = {}
        for index in range(self.rng.randint(0, 4)):
            roll = self.rng.random()
            if roll < 0.3:
                template[f"p{index}.$"] = self.path()
            elif roll < 0.65:
                template[f"p{index}.$"] = self.intrinsic()
            elif roll < 0.8 and depth < 2:
                template[f"p{index}"] = self.parameters(depth + 1)
            else:
                template[f"p{index}"] = self.json_value(1)
        return template

    # --- JSONata

    def jsonata(self, depth=0):
        roll = self.rng.random()
        if depth > 3 or roll < 0.25:
            return self.jsonata_atom()
        if roll < 0.45:
            name, arity = self.pick(JSONATA_FUNCTIONS)
            return f"{name}({', '.join(self.jsonata(depth + 1) for _ in range(arity))})"
        if roll < 0.6:
            op = self.pick(["+", "-", "*", "/", "%", "&", "=", "!=", "<", ">=", "and", "or", "in"])
            return f"({self.jsonata(depth + 1)} {op} {self.jsonata(depth + 1)})"
        if roll < 0.68:
            return f"({self.jsonata(depth + 1)} ? {self.jsonata(depth + 1)} : {self.jsonata(depth + 1)})"
        if roll < 0.76:
            return f"[{', '.join(self.jsonata(depth + 1) for _ in range(self.rng.randint(0, 3)))}]"
        if roll < 0.82:
            return "{" + ", ".join(f'"k{i}": {self.jsonata(depth + 1)}' for i in range(self.rng.randint(0, 3))) + "}"
        if roll < 0.9:
            higher = self.pick(["$map", "$filter"])
            return f"{higher}({self.jsonata_array()}, function($v, $i) {{ {self.jsonata(depth + 1).replace('$states.input.n', '$v')} }})"
        if roll < 0.95:
            return f"$reduce({self.jsonata_array()}, function($acc, $v) {{ $acc + $v }}, {self.jsonata_number()})"
        return f"[{self.pick(['0', '1', '-5', '$states.input.n'])}..{self.pick(['3', '10', '100', '$states.input.n'])}]"

    def jsonata_atom(self):
        roll = self.rng.random()
        if roll < 0.3:
            return self.jsonata_number()
        if roll < 0.5:
            return json.dumps(self.pick(TEXTS + NUMERIC_STRINGS))
        if roll < 0.85:
            return self.pick(["$states.input", "$states.input.n", "$states.input.s", "$states.input.xs", "$states.input.o.a",
                              "$states.input.missing", "$states.input.big", "$states.context.Execution.Id",
                              "$states.context.State.EnteredTime", "$states.context.Execution.Input.a", "$count($states.input.xs)"])
        return self.pick(["true", "false", "null", "$v0", "$unset"])

    def jsonata_number(self):
        if self.rng.random() < 0.65:
            return self.pick(["0", "1", "2", "3", "10", "0.5"])
        return self.pick(["0", "1", "-1", "2", "0.5", "1e300", "-1e300", "1e-300", "9223372036854775807",
                          "-9223372036854775808", "9223372036854775808", "4294967296", "(1/0)", "$number('1e308') * 10"])

    def jsonata_array(self):
        return self.pick(["$states.input.xs", "[1, 2, 3]", "[1..5]", "[]", "$states.input.s", "[$states.input.n, 1e300]"])

    def template(self):
        return "{% " + self.jsonata() + " %}"
