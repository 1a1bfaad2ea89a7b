"""Every error path of the foundation, answered in the protocol's own shape: never a 500,
never a dropped connection."""
import http.client
import json

import pytest
from botocore.exceptions import ClientError

SFN_JSON = "application/x-amz-json-1.0"


def raw(server, method, path, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def sfn_headers(target="AWSStepFunctions.ListStateMachines", content_type=SFN_JSON):
    headers = {"X-Amz-Target": target}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


def test_unknown_step_functions_operation(server):
    response, data = raw(server, "POST", "/", b"{}", sfn_headers("AWSStepFunctions.LaunchRocket"))
    assert response.status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.service#UnknownOperationException"
    assert response.getheader("x-amzn-RequestId")


def test_every_step_functions_operation_is_served(server):
    # The health report lists what each front end serves; nothing in the model answers 501.
    served = set(server.admin("health")["services"]["states"])
    modelled = set(server.client("stepfunctions").meta.service_model.operation_names)
    assert modelled - served == set()


def test_malformed_json_is_a_serialization_exception(server):
    response, data = raw(server, "POST", "/", b'{"maxResults": ', sfn_headers())
    assert response.status == 400
    body = json.loads(data)
    assert body["__type"] == "com.amazon.coral.service#SerializationException"
    assert "line 1" in body["message"]


def test_non_object_json_is_a_serialization_exception(server):
    response, data = raw(server, "POST", "/", b"[1,2]", sfn_headers())
    assert response.status == 400
    assert json.loads(data)["__type"].endswith("#SerializationException")


def test_wrong_content_type_is_rejected(server):
    response, data = raw(server, "POST", "/", b"{}", sfn_headers(content_type="text/plain"))
    assert response.status == 400
    assert json.loads(data)["__type"].endswith("#SerializationException")


def test_content_type_parameters_and_empty_body_are_accepted(server):
    # Smithy AwsJson10MustSupportParametersInContentType / ServiceSupportsNoPayloadForNoInput.
    response, data = raw(server, "POST", "/", b"", sfn_headers(content_type=SFN_JSON + "; charset=utf-8"))
    assert response.status == 200
    assert "stateMachines" in json.loads(data)


def test_unknown_bedrock_route_is_unknown_operation(server):
    response, data = raw(server, "GET", "/foundation-models/a/b/c")
    assert response.status == 404
    assert response.getheader("x-amzn-ErrorType").startswith("UnknownOperationException")


def test_bedrock_errors_carry_the_error_type_header(server):
    response, data = raw(server, "GET", "/foundation-models/acme.none-v1")
    assert response.status == 400
    assert response.getheader("x-amzn-ErrorType") == "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"
    assert json.loads(data) == {"message": "The provided model identifier is invalid."}


def test_unserved_runtime_operations_are_routed_and_said_not_emulated(server):
    runtime = server.client("bedrock-runtime")
    with pytest.raises(ClientError) as e:
        runtime.apply_guardrail(guardrailIdentifier="g1", guardrailVersion="1", source="INPUT", content=[{"text": {"text": "hi"}}])
    assert e.value.response["Error"]["Code"] == "NotImplemented"
    assert "ApplyGuardrail" in e.value.response["Error"]["Message"]


def test_oversized_body_gets_the_protocol_error(make_server):
    s = make_server("--max-body-bytes", "1024")
    big = b"{" + b'"a":"' + b"x" * 4096 + b'"}'
    response, data = raw(s, "POST", "/", big, sfn_headers())
    assert response.status == 413
    assert json.loads(data)["__type"] == "com.amazon.coral.service#RequestEntityTooLargeException"
    runtime = s.client("bedrock-runtime")
    with pytest.raises(ClientError) as e:
        runtime.invoke_model(modelId="anthropic.claude-v2", body=b"x" * 4096)
    assert e.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    # The server is still fine afterwards.
    assert s.admin("health")["status"] == "running"


def test_oversized_chunked_body_is_refused(make_server):
    s = make_server("--max-body-bytes", "1024")
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
    conn.putrequest("POST", "/")
    for k, v in sfn_headers().items():
        conn.putheader(k, v)
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    chunk = b"x" * 800
    for _ in range(3):
        conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    conn.send(b"0\r\n\r\n")
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def test_garbage_http_does_not_crash_the_server(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        data = sock.recv(4096)
        assert data.startswith(b"HTTP/1.1 400")
    assert server.admin("health")["status"] == "running"
