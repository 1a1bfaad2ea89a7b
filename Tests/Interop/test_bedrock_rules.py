"""Canned completion rules: from the admin API and the config, first match wins, sequences,
tool calls, errors, and the journal naming the rule."""
import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


def post_rules(server, rules):
    req = urllib.request.Request(server.url + "/_understudy/completions", data=json.dumps(rules).encode(), method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def ask(runtime, text, model=HAIKU, **extra):
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 200, "messages": [{"role": "user", "content": text}], **extra}
    return json.loads(runtime.invoke_model(modelId=model, body=json.dumps(body))["body"].read())


@pytest.fixture
def rules_server(make_server):
    return make_server()


def test_text_rule_answers_every_api(rules_server):
    post_rules(rules_server, {"name": "capital", "match": {"model": "anthropic.*", "prompt": {"contains": "capital of France"}},
                              "response": {"text": "Paris.", "usage": {"inputTokens": 11, "outputTokens": 2}}})
    runtime = rules_server.client("bedrock-runtime")
    reply = ask(runtime, "What is the capital of France?")
    assert reply["content"][0]["text"] == "Paris."
    assert reply["usage"] == {"input_tokens": 11, "output_tokens": 2}
    converse = runtime.converse(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": "the capital of France?"}]}])
    assert converse["output"]["message"]["content"][0]["text"] == "Paris."
    events = list(runtime.converse_stream(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": "capital of France"}]}])["stream"])
    assert "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e) == "Paris."
    # Unmatched requests still use the generator.
    assert ask(runtime, "What is the capital of Spain?")["content"][0]["text"] != "Paris."
    # The journal names the rule that answered.
    entries = [e for e in rules_server.admin("journal")["entries"] if e["service"] == "bedrock-runtime"]
    assert entries[0]["rule"] == "capital" and "rule" not in entries[-1]


def test_sequences_regex_and_first_match_wins(rules_server):
    post_rules(rules_server, [
        {"name": "flaky", "match": {"prompt": {"regex": "^status of job [0-9]+$"}},
         "responses": [{"text": "Still running."}, {"text": "Done."}]},
        {"name": "catch-all", "match": {"model": "anthropic.claude-3-haiku*"}, "response": {"text": "Generic."}},
    ])
    runtime = rules_server.client("bedrock-runtime")
    answers = [ask(runtime, "status of job 42")["content"][0]["text"] for _ in range(3)]
    assert answers == ["Still running.", "Done.", "Done."]
    assert ask(runtime, "anything else")["content"][0]["text"] == "Generic."
    listed = rules_server.admin("completions")["rules"]
    assert [r["name"] for r in listed] == ["flaky", "catch-all"]


def test_tool_and_error_rules(rules_server):
    post_rules(rules_server, [
        {"name": "use-search", "match": {"tools": ["search"]}, "response": {"toolUse": {"name": "search", "input": {"q": "bedrock quotas"}}}},
        {"name": "throttle", "match": {"prompt": "overload me"}, "response": {"error": {"code": "ThrottlingException"}}},
    ])
    runtime = rules_server.client("bedrock-runtime")
    tools = [{"name": "search", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}}]
    reply = ask(runtime, "look it up", tools=tools)
    assert reply["stop_reason"] == "tool_use" and reply["content"][0]["input"] == {"q": "bedrock quotas"}
    with pytest.raises(ClientError) as e:
        ask(runtime, "please overload me")
    assert e.value.response["Error"]["Code"] == "ThrottlingException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert e.value.response["Error"]["Message"] == "Too many requests, please wait before trying again."


def test_delete_and_reset(rules_server):
    post_rules(rules_server, {"name": "temp", "match": {"prompt": "x"}, "response": {"text": "y"}})
    req = urllib.request.Request(rules_server.url + "/_understudy/completions/temp", method="DELETE", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        assert json.loads(r.read())["status"] == "deleted"
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(urllib.request.Request(rules_server.url + "/_understudy/completions/temp", method="DELETE", headers={"Content-Type": "application/json"}))
    assert e.value.code == 404
    post_rules(rules_server, {"name": "temp2", "match": {"prompt": "x"}, "response": {"text": "y"}})
    rules_server.admin("reset", method="POST")
    assert rules_server.admin("completions")["rules"] == []


def test_invalid_rules_are_refused(rules_server):
    with pytest.raises(urllib.error.HTTPError) as e:
        post_rules(rules_server, {"name": "bad", "response": {"error": {"code": "NoSuchError"}}})
    assert e.value.code == 400 and "unknown error code" in json.loads(e.value.read())["message"]


def test_rules_from_the_config(make_server):
    s = make_server(config_text="""
bedrock:
  completions:
    - name: configured
      match:
        prompt:
          contains: hello
      response:
        text: Hi from the config.
""")
    assert ask(s.client("bedrock-runtime"), "hello there")["content"][0]["text"] == "Hi from the config."
    s.admin("reset", method="POST")
    assert ask(s.client("bedrock-runtime"), "hello there")["content"][0]["text"] == "Hi from the config.", "reset keeps configured rules"
