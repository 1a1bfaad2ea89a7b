"""Each model family's native InvokeModel format through boto3, whole and streamed, and the
embedding models (dimensions, normalisation, similarity)."""
import json
import math

import pytest
from botocore.exceptions import ClientError


@pytest.fixture(scope="module")
def runtime(server):
    return server.client("bedrock-runtime")


def invoke(runtime, model_id, body):
    return json.loads(runtime.invoke_model(modelId=model_id, body=json.dumps(body))["body"].read())


def stream(runtime, model_id, body):
    return [json.loads(e["chunk"]["bytes"]) for e in runtime.invoke_model_with_response_stream(modelId=model_id, body=json.dumps(body))["body"]]


FAMILIES = [
    ("amazon.titan-text-express-v1", {"inputText": "Explain queues", "textGenerationConfig": {"maxTokenCount": 300}},
     lambda r: r["results"][0]["outputText"], lambda chunks: "".join(c["outputText"] for c in chunks)),
    ("meta.llama3-1-8b-instruct-v1:0", {"prompt": "Explain queues", "max_gen_len": 300},
     lambda r: r["generation"], lambda chunks: "".join(c["generation"] for c in chunks)),
    ("mistral.mistral-7b-instruct-v0:2", {"prompt": "<s>[INST] Explain queues [/INST]", "max_tokens": 300},
     lambda r: r["outputs"][0]["text"], lambda chunks: "".join(c["outputs"][0]["text"] for c in chunks)),
    ("mistral.mistral-large-2407-v1:0", {"messages": [{"role": "user", "content": "Explain queues"}], "max_tokens": 300},
     lambda r: r["choices"][0]["message"]["content"], lambda chunks: "".join(c["choices"][0]["message"]["content"] for c in chunks)),
    ("amazon.nova-lite-v1:0", {"schemaVersion": "messages-v1", "messages": [{"role": "user", "content": [{"text": "Explain queues"}]}], "inferenceConfig": {"maxTokens": 300}},
     lambda r: r["output"]["message"]["content"][0]["text"],
     lambda chunks: "".join(c["contentBlockDelta"]["delta"]["text"] for c in chunks if "contentBlockDelta" in c)),
    ("cohere.command-r-v1:0", {"message": "Explain queues", "max_tokens": 300},
     lambda r: r["text"], lambda chunks: "".join(c.get("text", "") for c in chunks if c["event_type"] == "text-generation")),
    ("ai21.jamba-1-5-mini-v1:0", {"messages": [{"role": "user", "content": "Explain queues"}], "max_tokens": 300},
     lambda r: r["choices"][0]["message"]["content"], lambda chunks: "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)),
]


@pytest.mark.parametrize("model_id, body, text_of, stream_text", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_native_format_whole_and_streamed(runtime, model_id, body, text_of, stream_text):
    whole = invoke(runtime, model_id, body)
    text = text_of(whole)
    assert text and "queues" in text.lower()
    chunks = stream(runtime, model_id, body)
    assert stream_text(chunks) == text
    assert "amazon-bedrock-invocationMetrics" in chunks[-1]


def test_family_specific_fields(runtime):
    titan = invoke(runtime, "amazon.titan-text-express-v1", {"inputText": "hi", "textGenerationConfig": {"maxTokenCount": 2}})
    assert titan["results"][0]["completionReason"] == "LENGTH" and titan["inputTextTokenCount"] > 0
    llama = invoke(runtime, "meta.llama3-1-8b-instruct-v1:0", {"prompt": "hi", "max_gen_len": 2})
    assert llama["stop_reason"] == "length" and llama["generation_token_count"] <= 2
    cohere = invoke(runtime, "cohere.command-r-plus-v1:0", {"message": "hi"})
    assert cohere["finish_reason"] == "COMPLETE" and cohere["chat_history"][-1]["role"] == "CHATBOT"
    jamba = invoke(runtime, "ai21.jamba-1-5-large-v1:0", {"messages": [{"role": "user", "content": "hi"}]})
    assert jamba["model"] == "jamba-1.5-large" and jamba["usage"]["total_tokens"] > 0
    nova = invoke(runtime, "amazon.nova-pro-v1:0", {"messages": [{"role": "user", "content": [{"text": "hi"}]}]})
    assert nova["usage"]["totalTokens"] == nova["usage"]["inputTokens"] + nova["usage"]["outputTokens"]


def test_family_validation(runtime):
    with pytest.raises(ClientError) as e:
        invoke(runtime, "amazon.titan-text-express-v1", {"prompt": "wrong family"})
    assert e.value.response["Error"]["Message"] == \
        "Malformed input request: #: required key [inputText] not found, please reformat your input and try again."
    with pytest.raises(ClientError) as e:
        invoke(runtime, "meta.llama3-1-8b-instruct-v1:0", {"prompt": "x", "max_gen_len": 5000})
    assert "#/max_gen_len: 5000 is not less or equal to 2048" in e.value.response["Error"]["Message"]


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_titan_v2_embeddings(runtime):
    body = {"inputText": "Step Functions retries failed tasks", "dimensions": 256, "normalize": True}
    result = invoke(runtime, "amazon.titan-embed-text-v2:0", body)
    vector = result["embedding"]
    assert len(vector) == 256 and abs(math.sqrt(sum(v * v for v in vector)) - 1) < 1e-3
    assert result["embeddingsByType"]["float"] == vector
    assert result["inputTextTokenCount"] > 0
    assert invoke(runtime, "amazon.titan-embed-text-v2:0", body)["embedding"] == vector
    assert len(invoke(runtime, "amazon.titan-embed-text-v2:0", {"inputText": "x"})["embedding"]) == 1024


def test_similar_texts_rank_higher(runtime):
    def embed(text):
        return invoke(runtime, "amazon.titan-embed-text-v2:0", {"inputText": text})["embedding"]

    query = embed("how do I retry a failed state machine task")
    close = embed("retry policy for a failed task in a state machine")
    far = embed("chocolate cake recipe with strawberries")
    assert cosine(query, close) > cosine(query, far) + 0.2


def test_titan_g1_and_cohere_embed(runtime):
    g1 = invoke(runtime, "amazon.titan-embed-text-v1", {"inputText": "hello world"})
    assert len(g1["embedding"]) == 1536
    cohere = invoke(runtime, "cohere.embed-english-v3", {"texts": ["a cat", "a dog"], "input_type": "search_document"})
    assert cohere["response_type"] == "embeddings_floats" and len(cohere["embeddings"]) == 2 and len(cohere["embeddings"][0]) == 1024
    typed = invoke(runtime, "cohere.embed-english-v3", {"texts": ["a cat"], "input_type": "search_query", "embedding_types": ["float", "int8"]})
    assert typed["response_type"] == "embeddings_by_type" and set(typed["embeddings"]) == {"float", "int8"}
    with pytest.raises(ClientError):
        invoke(runtime, "amazon.titan-embed-text-v2:0", {"inputText": "x", "dimensions": 300})
