"""A seeded generator of random ASL definitions for the fuzzer in test_asl_fuzz.py.

Every state type in both query languages: Pass with Result/Parameters/Output, Task (a failing
Lambda, Bedrock, S3) with Retry and Catch at extreme IntervalSeconds, MaxAttempts, BackoffRate,
MaxDelaySeconds and JitterStrategy, Choice rules (And/Or/Not, loops back), Wait with extreme
Seconds/SecondsPath/Timestamp, Map and Parallel nested, Fail with paths. `Case.tags` names what
a definition holds that the engine is known to handle badly, so the test can route it.
"""
import json

from asl_expressions import INT64_MAX, ExpressionGenerator

FAILING = "arn:aws:states:::lambda:invoke"  # not served here: States.TaskFailed
BEDROCK = "arn:aws:states:::bedrock:invokeModel"
S3_GET = "arn:aws:states:::aws-sdk:s3:getObject"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
ERRORS = ["States.ALL", "States.TaskFailed", "States.Timeout", "States.Runtime", "Custom.Error", "States.QueryEvaluationError",
          "States.IntrinsicFailure", "States.HeartbeatTimeout", "Bedrock.ThrottlingException", "S3.NoSuchBucketException"]
HUGE_ATTEMPTS = 99999999
COMPARATORS = ["StringEquals", "StringLessThan", "StringGreaterThanEquals", "StringMatches", "NumericEquals",
               "NumericLessThan", "NumericGreaterThanEquals", "BooleanEquals", "TimestampLessThan", "TimestampEquals",
               "IsPresent", "IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp", "NumericEqualsPath",
               "StringEqualsPath", "NumericLessThanPath"]


def reachable(start, states):
    """The states reachable from `start`: AWS refuses a definition with any other."""
    seen, queue = set(), [start]
    while queue:
        name = queue.pop()
        if name in seen or name not in states:
            continue
        seen.add(name)
        queue += successors(states[name])
    return {name: state for name, state in states.items() if name in seen}


def successors(state):
    targets = [state.get("Next"), state.get("Default")]
    targets += [rule.get("Next") for rule in state.get("Choices", []) + state.get("Catch", [])]
    return [target for target in targets if target]


def machines_in(machine):
    yield machine
    for state in machine["States"].values():
        for inner in state.get("Branches", []) + [state.get("ItemProcessor") or state.get("Iterator")]:
            if inner:
                yield from machines_in(inner)


def tags_of(definition):
    """What a definition holds that the engine handles badly today: a cycle among its states
    ("loop"), a retrier of 1,000 attempts or more ("many-retries")."""
    tags = set()
    for machine in machines_in(definition):
        states = machine["States"]
        for state in states.values():
            if any(retrier.get("MaxAttempts", 3) >= 1000 for retrier in state.get("Retry", [])):
                tags.add("many-retries")
        visiting, done = set(), set()

        def visit(name):
            if name in visiting:
                tags.add("loop")
            if name in visiting or name in done or name not in states:
                return
            visiting.add(name)
            for target in successors(states[name]):
                visit(target)
            visiting.discard(name)
            done.add(name)

        visit(machine["StartAt"])
    return tags


class Case:
    """One generated definition, its input and what it holds (`tags`)."""

    def __init__(self, definition, payload, tags):
        self.definition, self.payload, self.tags = definition, payload, tags

    def __repr__(self):
        return f"definition={json.dumps(self.definition)}\ninput={json.dumps(self.payload)}\ntags={sorted(self.tags)}"


class AslGenerator:
    """`machine()` and `state()` from one `random.Random`. With `realtime`, waits and backoffs
    stay under a second so a run at --time-scale 1 ends quickly."""

    def __init__(self, rng, realtime=False, loops=True):
        self.rng = rng
        self.expressions = ExpressionGenerator(rng)
        self.realtime = realtime
        self.loops = loops
        self.counter = 0

    def case(self):
        definition = self.machine(0)
        if self.loops and self.rng.random() < 0.06:
            self.run_away(definition)
        return Case(definition, self.expressions.input(), tags_of(definition))

    def run_away(self, definition):
        """Puts in front a state that surely loops or retries on: a Choice that always goes back
        to itself, a Pass and a Choice going round, a failing Task caught back to itself, a
        failing Task retried 99999999 times."""
        first, start = self.name(), definition["StartAt"]
        jsonata = definition.get("QueryLanguage") == "JSONata"
        always = {"Condition": "{% true %}"} if jsonata else {"Variable": "$", "IsPresent": True}
        arguments = {"Arguments" if jsonata else "Parameters": {"FunctionName": "f"}}
        motif = self.rng.choice(["choice", "pass-choice", "catch", "retry"])
        if motif == "choice":
            states = {first: {"Type": "Choice", "Choices": [dict(always, Next=first)], "Default": start}}
        elif motif == "pass-choice":
            second = self.name()
            states = {first: {"Type": "Pass", "Next": second},
                      second: {"Type": "Choice", "Choices": [dict(always, Next=first)], "Default": start}}
        elif motif == "catch":
            states = {first: {"Type": "Task", "Resource": FAILING, **arguments, "Next": start,
                              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": first}]}}
        else:
            states = {first: {"Type": "Task", "Resource": FAILING, **arguments, "Next": start,
                              "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": HUGE_ATTEMPTS,
                                         "BackoffRate": self.rng.choice([1.0, 2.0])}]}}
        definition["States"] = {**states, **definition["States"]}
        definition["StartAt"] = first

    def machine(self, depth, language=None):
        language = language or ("JSONata" if self.rng.random() < 0.4 else "JSONPath")
        count = self.rng.randint(1, 5 if depth == 0 else 3)
        names = [self.name() for _ in range(count)]
        states = {}
        index = 0
        while index < len(names):  # a Choice may add a final Succeed to `names`
            name = names[index]
            if name.startswith("Done"):
                states[name] = {"Type": "Succeed"}
            else:
                own = language == "JSONPath" and self.rng.random() < 0.15
                states[name] = self.state(names, index, depth, "JSONata" if own else language)
                if own:
                    states[name]["QueryLanguage"] = "JSONata"
            index += 1
        if depth > 0 and language == "JSONata":  # nested states take the top level's language
            for state in states.values():
                state["QueryLanguage"] = "JSONata"
        machine = {"StartAt": names[0], "States": reachable(names[0], states)}
        if depth == 0:
            if language == "JSONata" or self.rng.random() < 0.3:
                machine["QueryLanguage"] = language
            if self.rng.random() < 0.1:
                machine["TimeoutSeconds"] = self.rng.choice([1, 60, 99999999])
        return machine

    def name(self):
        self.counter += 1
        return self.rng.choice(["S", "State ", "é", "Ω"]) + str(self.counter)

    def state(self, names=None, index=0, depth=2, language="JSONPath"):
        names = names or [self.name()]
        jsonata = language == "JSONata"
        kinds = ["Pass", "Task", "Choice", "Wait"] + (["Map", "Parallel"] if depth < 2 else [])
        last = index == len(names) - 1
        kind = self.rng.choice(kinds + (["Succeed", "Succeed", "Fail"] if last else []))
        state = {"Type": kind}
        build = getattr(self, "_" + kind.lower())
        build(state, names, index, depth, jsonata)
        if kind not in ("Choice", "Succeed", "Fail"):
            self._transition(state, names, index)
        if kind not in ("Fail", "Succeed") and self.rng.random() < 0.2:
            state["Assign"] = {"v0": self.expressions.template() if jsonata else self.expressions.json_value(1)}
            if not jsonata:
                state["Assign"]["v1.$"] = self.expressions.path()
        return state

    def _transition(self, state, names, index):
        target = self._target(names, index, exclude_self=True)
        if target is None:
            state["End"] = True
        else:
            state["Next"] = target

    def _target(self, names, index, exclude_self=False):
        """A later state, the end (None), or with `loops` an earlier one (or itself)."""
        later = names[index + 1:]
        if later and self.rng.random() < 0.6:
            return later[0]
        if self.loops and self.rng.random() < 0.12:
            earlier = names[:index + (0 if exclude_self else 1)]
            if earlier:
                return self.rng.choice(earlier)
        if later and self.rng.random() < 0.8:
            return self.rng.choice(later)
        return None

    # --- one builder per state type

    def _pass(self, state, names, index, depth, jsonata):
        if jsonata:
            if self.rng.random() < 0.7:
                state["Output"] = self.expressions.template() if self.rng.random() < 0.7 else {"k": self.expressions.template()}
            return
        roll = self.rng.random()
        if roll < 0.3:
            state["Result"] = self.expressions.json_value(0)
        elif roll < 0.7:
            state["Parameters"] = self.expressions.parameters()
        self._paths(state, result=True)

    def _task(self, state, names, index, depth, jsonata):
        resource = self.rng.choice([FAILING, BEDROCK, BEDROCK, S3_GET])
        state["Resource"] = resource
        if resource == BEDROCK:
            body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": self.rng.choice([1, 10, 10, 100000]),
                    "messages": [{"role": "user", "content": "hi"}]}
            arguments = {"ModelId": self.rng.choice([HAIKU, HAIKU, HAIKU, "no.such-model"]), "Body": body}
        elif resource == S3_GET:
            arguments = {"Bucket": self.rng.choice(["asl-fuzz", "asl-fuzz", "no-such-bucket"]), "Key": "k"}
        else:
            arguments = {"FunctionName": "f"}
        state["Arguments" if jsonata else "Parameters"] = arguments
        if self.rng.random() < 0.3:
            field = self.rng.choice(["TimeoutSeconds", "HeartbeatSeconds"])
            value = self.rng.choice([1, 60, 99999999])
            state[field] = ("{% " + str(value) + " %}") if jsonata and self.rng.random() < 0.5 else value
        if self.rng.random() < 0.5:
            state["Retry"] = [self.retrier() for _ in range(self.rng.randint(1, 2))]
        if self.rng.random() < 0.4:
            state["Catch"] = [self.catcher(names, index, jsonata)]
        if jsonata:
            if self.rng.random() < 0.5:
                state["Output"] = self.expressions.template()
        else:
            if self.rng.random() < 0.3:
                state["ResultSelector"] = self.expressions.parameters()
            self._paths(state, result=True)

    def retrier(self):
        retrier = {"ErrorEquals": [self.rng.choice(ERRORS)]}
        if self.realtime:
            retrier.update(IntervalSeconds=1, MaxAttempts=self.rng.choice([0, 1, 2]), BackoffRate=self.rng.choice([1.0, 1.5]))
            if self.rng.random() < 0.3:
                retrier["MaxDelaySeconds"] = 1
            return retrier
        if self.rng.random() < 0.8:
            retrier["IntervalSeconds"] = self.rng.choice([1, 2, 60, 99999999])
        if self.rng.random() < 0.8:
            retrier["MaxAttempts"] = self.rng.choice([0, 1, 3, 10, 1000, HUGE_ATTEMPTS])
        if self.rng.random() < 0.7:
            retrier["BackoffRate"] = self.rng.choice([1.0, 1.5, 2.0, 10.0, 1000000.0])
        if self.rng.random() < 0.4:
            retrier["MaxDelaySeconds"] = self.rng.choice([1, 3600, 31622400])
        if self.rng.random() < 0.3:
            retrier["JitterStrategy"] = self.rng.choice(["FULL", "NONE"])
        return retrier

    def catcher(self, names, index, jsonata):
        target = self._target(names, index)
        if target is None:
            target = names[min(index + 1, len(names) - 1)] if index + 1 < len(names) else names[index]
        catcher = {"ErrorEquals": [self.rng.choice(ERRORS)], "Next": target}
        if jsonata:
            if self.rng.random() < 0.5:
                catcher["Output"] = "{% $states.errorOutput %}"
        elif self.rng.random() < 0.5:
            catcher["ResultPath"] = self.rng.choice(["$.error", "$", None])
        return catcher

    def _choice(self, state, names, index, depth, jsonata):
        rules = []
        for _ in range(self.rng.randint(1, 3)):
            target = self._target(names, index) or self._terminal(names)
            rule = {"Condition": "{% " + self.expressions.jsonata() + " %}"} if jsonata else self.rule(0)
            rule["Next"] = target
            rules.append(rule)
        state["Choices"] = rules
        if self.rng.random() < 0.8:
            state["Default"] = self._target(names, index) or self._terminal(names)

    def _terminal(self, names):
        """Choice rules need a Next: a Succeed state added at the end of the machine."""
        if names[-1].startswith("Done"):
            return names[-1]
        self.counter += 1
        names.append("Done" + str(self.counter))
        return names[-1]

    def rule(self, depth):
        roll = self.rng.random()
        if depth < 2 and roll < 0.15:
            return {"Not": self.rule(depth + 1)}
        if depth < 2 and roll < 0.3:
            return {self.rng.choice(["And", "Or"]): [self.rule(depth + 1) for _ in range(self.rng.randint(1, 3))]}
        comparator = self.rng.choice(COMPARATORS)
        rule = {"Variable": self.expressions.path()}
        if comparator.endswith("Path"):
            rule[comparator] = self.expressions.path()
        elif comparator.startswith("Is"):
            rule[comparator] = self.rng.random() < 0.5
        elif comparator.startswith("Numeric"):
            rule[comparator] = self.rng.choice([0, 1, -1, 1e300, INT64_MAX, 0.5])
        elif comparator.startswith("Boolean"):
            rule[comparator] = True
        elif comparator.startswith("Timestamp"):
            rule[comparator] = self.rng.choice(["2016-03-14T01:59:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
        else:
            rule[comparator] = self.rng.choice(["", "a", "a*", "*", "\\*", "hello world", "\U0001f984"])
        return rule

    def _wait(self, state, names, index, depth, jsonata):
        if self.realtime:
            state["Seconds"] = self.rng.choice([0, 1])
            return
        roll = self.rng.random()
        seconds = self.rng.choice([0, 1, 299, 301, 99999999, INT64_MAX // 1000, INT64_MAX])
        if jsonata:
            if roll < 0.6:
                state["Seconds"] = "{% " + str(seconds) + " %}" if self.rng.random() < 0.6 else "{% $states.input.n %}"
            else:
                state["Timestamp"] = self.rng.choice(["{% '9999-12-31T23:59:59Z' %}", "{% $states.input.t %}", "{% $now() %}"])
            return
        if roll < 0.35:
            state["Seconds"] = min(seconds, 99999999)
        elif roll < 0.65:
            state["SecondsPath"] = self.rng.choice(["$.n", "$.big", "$.neg", "$.missing", "$.s"])
        elif roll < 0.85:
            state["Timestamp"] = self.rng.choice(["2016-03-14T01:59:00Z", "9999-12-31T23:59:59Z", "2024-02-29T12:00:00.123456789Z"])
        else:
            state["TimestampPath"] = self.rng.choice(["$.t", "$.s", "$.missing"])

    def _succeed(self, state, names, index, depth, jsonata):
        if not jsonata and self.rng.random() < 0.3:
            self._paths(state, result=False)

    def _fail(self, state, names, index, depth, jsonata):
        if jsonata:
            state["Error"] = self.rng.choice(["Custom.Error", "{% 'E' & $string($states.input.n) %}", "{% $states.input.o %}"])
            state["Cause"] = self.rng.choice(["because", "{% $string($states.input) %}", "{% $states.input.missing %}"])
        elif self.rng.random() < 0.5:
            state["ErrorPath"] = self.rng.choice(["$.s", "$.o", "$.missing", "States.Format('E{}', $.n)"])
            state["CausePath"] = self.rng.choice(["$.s", "$$.Execution.Id", "States.JsonToString($)"])
        else:
            state["Error"], state["Cause"] = "Custom.Error", "\U0001f984" * self.rng.choice([1, 40000])

    def _map(self, state, names, index, depth, jsonata):
        processor = self.machine(depth + 1, "JSONata" if jsonata else "JSONPath")
        if self.rng.random() < 0.15 and not self.realtime:
            processor["ProcessorConfig"] = {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
        state["ItemProcessor"] = processor
        if jsonata:
            state["Items"] = self.rng.choice(["{% $states.input.xs %}", "{% [1..3] %}", "{% $states.input.s %}", "{% [] %}"])
        else:
            state["ItemsPath"] = self.rng.choice(["$.xs", "$.xs[0:2]", "$.missing", "$.s"])
            if self.rng.random() < 0.3:
                state["ItemSelector"] = {"item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}
        if self.rng.random() < 0.3:
            state["MaxConcurrency"] = self.rng.choice([0, 1, 40, 99999999])
        if self.rng.random() < 0.2:
            state["ToleratedFailurePercentage"] = self.rng.choice([0, 50, 100])
        self._fan_out_common(state, names, index, jsonata)

    def _parallel(self, state, names, index, depth, jsonata):
        state["Branches"] = [self.machine(depth + 1, "JSONata" if jsonata else "JSONPath") for _ in range(self.rng.randint(1, 3))]
        self._fan_out_common(state, names, index, jsonata)

    def _fan_out_common(self, state, names, index, jsonata):
        if self.rng.random() < 0.3:
            state["Retry"] = [self.retrier()]
        if self.rng.random() < 0.3:
            state["Catch"] = [self.catcher(names, index, jsonata)]
        if not jsonata:
            if self.rng.random() < 0.3:
                state["ResultSelector"] = {"r.$": self.rng.choice(["$", "$[0]", "States.ArrayLength($)"])}
            self._paths(state, result=True)

    def _paths(self, state, result):
        if self.rng.random() < 0.3:
            state["InputPath"] = self.rng.choice(["$", "$.o", "$.xs", "$.missing", None])
        if self.rng.random() < 0.3:
            state["OutputPath"] = self.rng.choice(["$", "$.r", "$.missing", None])
        if result and self.rng.random() < 0.4:
            state["ResultPath"] = self.rng.choice(["$", "$.r", "$.o.r", None, "$.xs[0]"])
