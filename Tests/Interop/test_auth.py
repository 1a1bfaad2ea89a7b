"""Auth modes: lenient (account from a 12-digit key, region from the scope), strict SigV4 and
bearer tokens with the services' real refusals, and off."""
import datetime
import os
from unittest import mock

import pytest
from botocore.exceptions import ClientError

from harness import DUMMY_KEY, DUMMY_SECRET


def test_lenient_takes_account_and_region_from_the_request(server):
    client = server.client("bedrock", region="ap-southeast-2", key="123456789012")
    profile = client.list_inference_profiles()["inferenceProfileSummaries"][0]
    assert ":123456789012:inference-profile/apac." in profile["inferenceProfileArn"]
    assert profile["inferenceProfileArn"].startswith("arn:aws:bedrock:ap-southeast-2:")
    entry = server.admin("journal?limit=1")["entries"][-1]
    assert (entry["account"], entry["region"]) == ("123456789012", "ap-southeast-2")


def test_lenient_non_numeric_key_uses_the_default_account(server):
    client = server.client("bedrock", key="AKIAEXAMPLE")
    arn = client.list_inference_profiles()["inferenceProfileSummaries"][0]["inferenceProfileArn"]
    assert ":000000000000:" in arn


def test_lenient_accepts_unsigned_requests(server):
    import urllib.request

    with urllib.request.urlopen(server.url + "/inference-profiles") as r:
        assert r.status == 200


@pytest.fixture
def strict(make_server):
    return make_server("--auth", "strict", "--credentials", f"{DUMMY_KEY}:{DUMMY_SECRET}", "--bearer-token", "bedrock-api-key-ok")


def test_strict_accepts_the_right_secret(strict):
    assert strict.client("bedrock").list_foundation_models()["modelSummaries"]


def test_strict_wrong_secret_is_invalid_signature(strict):
    with pytest.raises(ClientError) as e:
        strict.client("bedrock", secret="wrong").list_foundation_models()
    err = e.value.response
    assert err["Error"]["Code"] == "InvalidSignatureException"
    assert err["Error"]["Message"].startswith("The request signature we calculated does not match")
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_strict_wrong_secret_on_step_functions_is_a_400_with_type(strict):
    with pytest.raises(ClientError) as e:
        strict.client("stepfunctions", secret="wrong").list_state_machines()
    assert e.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_strict_unknown_key_is_unrecognized_client(strict):
    with pytest.raises(ClientError) as e:
        strict.client("bedrock", key="AKIDNOBODY").list_foundation_models()
    assert e.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert e.value.response["Error"]["Message"] == "The security token included in the request is invalid."


def test_strict_expired_signature(strict):
    past = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)
    with mock.patch("botocore.auth.get_current_datetime", return_value=past):
        with pytest.raises(ClientError) as e:
            strict.client("bedrock").list_foundation_models()
    err = e.value.response["Error"]
    assert err["Code"] == "InvalidSignatureException"
    assert err["Message"].startswith("Signature expired: " + past.strftime("%Y%m%dT%H%M%SZ") + " is now earlier than ")
    assert err["Message"].endswith(" - 15 min.)")


def test_strict_refuses_unsigned_requests(strict):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(strict.url + "/foundation-models")
    assert e.value.code == 403
    assert e.value.headers["x-amzn-ErrorType"].split(":")[0] == "MissingAuthenticationTokenException"


def test_strict_bearer_tokens(strict):
    # botocore sends AWS_BEARER_TOKEN_BEDROCK only over https, so the header is sent directly.
    import json
    import urllib.error
    import urllib.request

    def get(token):
        req = urllib.request.Request(strict.url + "/foundation-models", headers={"Authorization": f"Bearer {token}"})
        return urllib.request.urlopen(req)

    with get("bedrock-api-key-ok") as r:
        assert json.loads(r.read())["modelSummaries"]
    with pytest.raises(urllib.error.HTTPError) as e:
        get("bedrock-api-key-wrong")
    assert e.value.code == 403
    assert e.value.headers["x-amzn-ErrorType"].split(":")[0] == "UnrecognizedClientException"


def test_strict_without_credentials_refuses_to_start(make_server):
    with pytest.raises(RuntimeError, match="strict auth needs"):
        make_server("--auth", "strict")


def test_auth_off_ignores_signatures(make_server):
    s = make_server("--auth", "off")
    client = s.client("bedrock", region="eu-west-1", key="123456789012", secret="anything")
    arn = client.get_foundation_model(modelIdentifier="anthropic.claude-v2")["modelDetails"]["modelArn"]
    assert arn.startswith("arn:aws:bedrock:us-east-1::"), "off: every caller is the default account in us-east-1"
