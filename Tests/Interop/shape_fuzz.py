"""Seeded inputs for any operation of a botocore service model, valid-shaped or off-shape.

`ShapeFuzzer.operation_input` walks the operation's input shape: a valid-shaped input respects
types, enums, required members, lengths and ranges, and takes values known to exist on the
server (a state machine's ARN, a bucket, a model) from `pools` by member name, so calls get
past "not found" into the code behind it. An off-shape input starts valid, then breaks it in
one to three places: a wrong type, a missing required member, a length or number out of range,
odd unicode, a huge string, an unknown member. Same seed, same inputs: a failure names its seed.
"""
import datetime

# Numbers at the edges of what 64-bit and double arithmetic hold.
EXTREME_NUMBERS = [
    0, -1, 1, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64,
    10**30, 1e300, -1e300, 1e-300, -0.0, 0.5, 1.7976931348623157e308, 5e-324,
]

# Strings a parser, a router or a logger may trip on.
ODD_STRINGS = [
    "", " ", "\x00", "\x00abc\x00", "\ud800", "\udfff\ud800", "\uffff", "\ufeff", "\u202eevil", "\u2028\u2029",
    "e\u0301" * 40, "🦄" * 64, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\r\n", "\r\nX-Injected: 1", "../../etc/passwd", "%00%ff", "%",
    "{}", "[]", "null", "<x>&amp;</x>", "]]>", "$.a", "$$.Execution.Id", "{% 1 + %}", "\\", '"', "'", "?a=b#c",
    "arn:aws:states:us-east-1:000000000000:stateMachine:", "arn:" + ":" * 300, "a" * 2049, "NaN", "-Infinity",
]

WRONG_TYPE_VALUES = [None, True, False, 0, -1, 1.5, 1e300, "", "x", [], [None], {}, {"a": {"b": []}}]


class ShapeFuzzer:
    """Inputs from a service model's shapes, drawn from one `random.Random`."""

    def __init__(self, rng, pools=None, max_depth=5, optional_chance=0.5):
        self.rng = rng
        self.pools = pools or {}
        self.max_depth = max_depth
        self.optional_chance = optional_chance

    # --- valid-shaped values

    def operation_input(self, operation, off_shape=False, skip=()):
        shape = operation.input_shape
        if shape is None:
            return {} if not off_shape else self._unknown_members({})
        params = self.structure(shape, 0, skip=skip)
        if off_shape:
            for _ in range(self.rng.randint(1, 3)):
                params = self.break_somewhere(shape, params)
        return params

    def value(self, shape, depth, name=None):
        if name in self.pools and self.rng.random() < 0.85:
            return self.rng.choice(self.pools[name])
        kind = shape.type_name
        if kind == "structure":
            if shape.is_document_type:
                return self.document(depth)
            return self.structure(shape, depth)
        if kind == "list":
            low, high = self._bounds(shape, 0, 3)
            return [self.value(shape.member, depth + 1) for _ in range(self.rng.randint(low, min(high, low + 3)))]
        if kind == "map":
            low, high = self._bounds(shape, 0, 3)
            count = self.rng.randint(low, min(high, low + 3))
            return {self.string(shape.key): self.value(shape.value, depth + 1) for _ in range(count)}
        if kind == "string":
            return self.string(shape)
        if kind in ("integer", "long", "short", "byte"):
            low, high = self._bounds(shape, -1000 if kind != "byte" else -128, 100000)
            return self.rng.randint(int(low), int(min(high, low + 100000)))
        if kind in ("float", "double"):
            low, high = self._bounds(shape, -1000.0, 1000.0)
            return round(self.rng.uniform(low, min(high, low + 1000.0)), 3)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "blob":
            return bytes(self.rng.randrange(256) for _ in range(self.rng.randint(0, 64)))
        if kind == "timestamp":
            return datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
                seconds=self.rng.randint(0, 10**8))
        return None

    def structure(self, shape, depth, skip=()):
        members = shape.members
        if shape.metadata.get("union"):
            names = [n for n in members if n not in skip]
            chosen = self.rng.choice(names) if names else None
            return {chosen: self.value(members[chosen], depth + 1, chosen)} if chosen else {}
        out = {}
        required = set(shape.required_members)
        for name, member in members.items():
            if name in skip or member.serialization.get("eventstream"):
                continue
            keep = name in required or (depth < self.max_depth and self.rng.random() < self.optional_chance / (1 + depth))
            if keep or (name in self.pools and self.rng.random() < 0.7):
                out[name] = self.value(member, depth + 1, name)
        return out

    def string(self, shape):
        enum = shape.enum if hasattr(shape, "enum") else []
        if enum and self.rng.random() < 0.9:
            return self.rng.choice(enum)
        low, high = self._bounds(shape, 0, 24)
        length = self.rng.randint(max(low, 1) if low else 0, int(min(high, max(low, 1) + 24)))
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_"
        if self.rng.random() < 0.15:
            alphabet += "é🦄/ .:$"
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def document(self, depth):
        roll = self.rng.random()
        if depth > 3 or roll < 0.4:
            return self.rng.choice([1, "x", None, True, 2.5, self.rng.choice(EXTREME_NUMBERS)])
        if roll < 0.7:
            return [self.document(depth + 1) for _ in range(self.rng.randint(0, 3))]
        return {f"k{i}": self.document(depth + 1) for i in range(self.rng.randint(0, 3))}

    def _bounds(self, shape, low, high):
        metadata = shape.metadata
        low = metadata.get("min", low)
        high = metadata.get("max", high)
        if high < low:
            high = low
        return low, high

    # --- off-shape values

    def off_value(self, shape=None):
        """One value that breaks `shape`: a wrong type, an edge of a range, odd text."""
        roll = self.rng.random()
        if roll < 0.25:
            return self.rng.choice(WRONG_TYPE_VALUES)
        if roll < 0.45:
            return self.rng.choice(EXTREME_NUMBERS)
        if roll < 0.7:
            return self.rng.choice(ODD_STRINGS)
        if roll < 0.8 and shape is not None:
            low, high = self._bounds(shape, 0, 0)
            if shape.type_name == "string":
                return "x" * (high + 1) if high else "x" * self.rng.choice([0, 70000])
            if shape.type_name in ("integer", "long", "float", "double"):
                return self.rng.choice([low - 1, high + 1])
            if shape.type_name == "list":
                return [self.value(shape.member, 4)] * (high + 1 if high else 1001)
        if roll < 0.9:
            return "🦄" * self.rng.choice([5000, 60000])
        return self.deep_nesting(self.rng.choice([50, 300]))

    def deep_nesting(self, depth):
        value = "bottom"
        for _ in range(depth):
            value = {"n": [value]}
        return value

    def break_somewhere(self, shape, params):
        """Changes one place of `params` (a dict of a valid input) so that it no longer fits."""
        paths = list(self._paths(shape, params, ()))
        roll = self.rng.random()
        if roll < 0.2 and shape.required_members:
            victim = self.rng.choice(shape.required_members)
            return {k: v for k, v in params.items() if k != victim}
        if roll < 0.3:
            return self._unknown_members(params)
        if not paths:
            return self._unknown_members(params)
        path, member_shape = self.rng.choice(paths)
        return self._replace(params, path, self.off_value(member_shape))

    def _paths(self, shape, value, prefix):
        if shape is None:
            return
        if shape.type_name == "structure" and isinstance(value, dict) and not shape.is_document_type:
            for name, member in shape.members.items():
                if name in value:
                    yield prefix + (name,), member
                    yield from self._paths(member, value[name], prefix + (name,))
        elif shape.type_name == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                yield prefix + (index,), shape.member
                yield from self._paths(shape.member, item, prefix + (index,))

    def _replace(self, value, path, new):
        if not path:
            return new
        head, rest = path[0], path[1:]
        if isinstance(value, dict):
            copy = dict(value)
            copy[head] = self._replace(value[head], rest, new)
            return copy
        copy = list(value)
        copy[head] = self._replace(value[head], rest, new)
        return copy

    def _unknown_members(self, params):
        extra = dict(params)
        extra[self.rng.choice(["__type", "unknownMember", "ΩΩ", "", "x" * 300])] = self.rng.choice(WRONG_TYPE_VALUES + ODD_STRINGS[:8])
        return extra
