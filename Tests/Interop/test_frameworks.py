"""The clients people build with, unmodified, against the binary: the Anthropic SDK's
AnthropicBedrock, langchain-aws ChatBedrockConverse, and a strands-agents Agent tool loop."""
import pytest

from harness import DUMMY_KEY, DUMMY_SECRET

HAIKU_35 = "anthropic.claude-3-5-haiku-20241022-v1:0"


@pytest.fixture
def anthropic_client(server):
    from anthropic import AnthropicBedrock

    return AnthropicBedrock(aws_access_key=DUMMY_KEY, aws_secret_key=DUMMY_SECRET, aws_region="us-east-1",
                            base_url=server.url, max_retries=0)


def test_anthropic_messages_create(anthropic_client):
    message = anthropic_client.messages.create(
        model=HAIKU_35, max_tokens=300, system="Be brief.",
        messages=[{"role": "user", "content": "What does an RFP usually contain?"}])
    assert message.role == "assistant" and message.type == "message"
    assert message.content[0].type == "text" and message.content[0].text
    assert message.stop_reason == "end_turn"
    assert message.usage.output_tokens > 0 and message.usage.input_tokens > 0
    assert message.model == "claude-3-5-haiku-20241022"


def test_anthropic_messages_stream(anthropic_client):
    kwargs = dict(model=HAIKU_35, max_tokens=300, messages=[{"role": "user", "content": "Explain backoff with jitter"}])
    whole = anthropic_client.messages.create(**kwargs)
    with anthropic_client.messages.stream(**kwargs) as stream:
        deltas = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(deltas) > 1
    assert "".join(deltas) == whole.content[0].text
    assert final.usage.output_tokens == whole.usage.output_tokens
    assert final.stop_reason == "end_turn"


def test_anthropic_tool_use(anthropic_client):
    tools = [{"name": "get_stock_price", "description": "Price for a ticker",
              "input_schema": {"type": "object", "properties": {"ticker": {"type": "string"}}, "required": ["ticker"]}}]
    message = anthropic_client.messages.create(
        model=HAIKU_35, max_tokens=300, tools=tools, tool_choice={"type": "tool", "name": "get_stock_price"},
        messages=[{"role": "user", "content": "Price of AMZN?"}])
    assert message.stop_reason == "tool_use"
    block = message.content[0]
    assert block.type == "tool_use" and block.name == "get_stock_price" and isinstance(block.input["ticker"], str)


@pytest.fixture
def chat(server):
    from langchain_aws import ChatBedrockConverse

    return ChatBedrockConverse(model=HAIKU_35, region_name="us-east-1", endpoint_url=server.url,
                               aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_SECRET, max_tokens=300)


def test_langchain_invoke_and_stream(chat):
    reply = chat.invoke("Describe a state machine in one paragraph")
    assert isinstance(reply.content, str) and reply.content
    assert reply.usage_metadata["output_tokens"] > 0
    streamed = "".join(chunk.text for chunk in chat.stream("Describe a state machine in one paragraph"))
    assert streamed == reply.content


def test_langchain_tool_calling(chat):
    from langchain_core.tools import tool

    @tool
    def multiply(a: int, b: int) -> int:
        """Multiply two integers."""
        return a * b

    reply = chat.bind_tools([multiply], tool_choice="multiply").invoke("What is 6 times 7?")
    assert reply.tool_calls and reply.tool_calls[0]["name"] == "multiply"
    args = reply.tool_calls[0]["args"]
    assert isinstance(args["a"], int) and isinstance(args["b"], int)


def test_strands_agent_completes_a_tool_loop(server, monkeypatch):
    from strands import Agent, tool
    from strands.models import BedrockModel

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", DUMMY_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", DUMMY_SECRET)
    calls = []

    @tool
    def word_count(text: str) -> int:
        """Count the words in a text."""
        calls.append(text)
        return len(text.split())

    model = BedrockModel(model_id=HAIKU_35, region_name="us-east-1", endpoint_url=server.url, max_tokens=300)
    agent = Agent(model=model, tools=[word_count], callback_handler=None)
    result = agent("Use the word_count tool on the phrase: the quick brown fox")
    assert calls, "the agent called the tool"
    assert result.stop_reason == "end_turn"
    assert str(result).strip()


def test_anthropic_extended_thinking(anthropic_client):
    message = anthropic_client.messages.create(
        model="us.anthropic.claude-sonnet-4-5-20250929-v1:0", max_tokens=3000, thinking={"type": "enabled", "budget_tokens": 1500},
        messages=[{"role": "user", "content": "Think about queue design"}])
    assert [b.type for b in message.content] == ["thinking", "text"]
    assert message.content[0].signature
