"""Bedrock's model catalog through boto3: ListFoundationModels, GetFoundationModel,
ListInferenceProfiles, GetInferenceProfile, with every output valid against botocore's model."""
import json
import urllib.request

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.validate import ParamValidator


def assert_valid(client, operation, response):
    shape = client.meta.service_model.operation_model(operation).output_shape
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    report = ParamValidator().validate(body, shape)
    assert not report.has_errors(), report.generate_report()


def test_list_foundation_models_is_valid_and_covers_the_seed_models(bedrock):
    response = bedrock.list_foundation_models()
    assert_valid(bedrock, "ListFoundationModels", response)
    ids = {m["modelId"] for m in response["modelSummaries"]}
    for needed in [
        "anthropic.claude-instant-v1",
        "anthropic.claude-v2",
        "anthropic.claude-v2:1",
        "anthropic.claude-3-5-haiku-20241022-v1:0",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "amazon.titan-embed-text-v2:0",
        "amazon.nova-lite-v1:0",
        "meta.llama3-1-70b-instruct-v1:0",
        "mistral.mistral-large-2407-v1:0",
        "cohere.command-r-v1:0",
        "ai21.jamba-1-5-mini-v1:0",
    ]:
        assert needed in ids
    haiku = next(m for m in response["modelSummaries"] if m["modelId"] == "anthropic.claude-3-haiku-20240307-v1:0")
    assert haiku["modelArn"] == "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
    assert haiku["providerName"] == "Anthropic"
    assert haiku["inputModalities"] == ["TEXT", "IMAGE"]
    assert haiku["modelLifecycle"] == {"status": "ACTIVE"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["ResponseMetadata"]["RequestId"]


@pytest.mark.parametrize(
    "kwargs, check",
    [
        ({"byProvider": "Anthropic"}, lambda m: m["providerName"] == "Anthropic"),
        ({"byProvider": "meta"}, lambda m: m["providerName"] == "Meta"),
        ({"byOutputModality": "EMBEDDING"}, lambda m: m["outputModalities"] == ["EMBEDDING"]),
        ({"byInferenceType": "PROVISIONED"}, lambda m: "PROVISIONED" in m["inferenceTypesSupported"]),
        ({"byCustomizationType": "FINE_TUNING"}, lambda m: "FINE_TUNING" in m["customizationsSupported"]),
    ],
)
def test_list_foundation_models_filters(bedrock, kwargs, check):
    models = bedrock.list_foundation_models(**kwargs)["modelSummaries"]
    assert models
    assert all(check(m) for m in models)


def test_filters_combine(bedrock):
    models = bedrock.list_foundation_models(byProvider="Amazon", byOutputModality="EMBEDDING")["modelSummaries"]
    assert {m["modelId"] for m in models} >= {"amazon.titan-embed-text-v1", "amazon.titan-embed-text-v2:0"}
    assert all(m["providerName"] == "Amazon" for m in models)


def test_region_comes_from_the_signing_scope(server):
    eu = server.client("bedrock", region="eu-west-1")
    model = eu.get_foundation_model(modelIdentifier="anthropic.claude-3-haiku-20240307-v1:0")["modelDetails"]
    assert model["modelArn"].startswith("arn:aws:bedrock:eu-west-1::foundation-model/")


def test_get_foundation_model_by_id_and_arn(bedrock):
    by_id = bedrock.get_foundation_model(modelIdentifier="anthropic.claude-v2:1")
    assert_valid(bedrock, "GetFoundationModel", by_id)
    arn = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"
    by_arn = bedrock.get_foundation_model(modelIdentifier=arn)
    assert by_id["modelDetails"] == by_arn["modelDetails"]
    assert by_id["modelDetails"]["modelArn"] == arn
    assert by_id["modelDetails"]["modelLifecycle"]["status"] == "LEGACY"


def test_unknown_model_is_a_validation_exception(bedrock):
    with pytest.raises(ClientError) as e:
        bedrock.get_foundation_model(modelIdentifier="anthropic.claude-nonexistent-v9:0")
    err = e.value.response
    assert err["Error"]["Code"] == "ValidationException"
    assert err["Error"]["Message"] == "The provided model identifier is invalid."
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_malformed_model_identifier_reports_the_pattern(bedrock):
    with pytest.raises(ClientError) as e:
        bedrock.get_foundation_model(modelIdentifier="NOT A MODEL")
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert "at 'modelIdentifier' failed to satisfy constraint" in e.value.response["Error"]["Message"]


def test_invalid_enum_filter_is_rejected_like_aws(server):
    # botocore does not validate enums client-side, so the server must.
    with pytest.raises(ClientError) as e:
        server.client("bedrock").list_foundation_models(byOutputModality="AUDIO")
    err = e.value.response["Error"]
    assert err["Code"] == "ValidationException"
    assert err["Message"] == (
        "1 validation error detected: Value 'AUDIO' at 'byOutputModality' failed to satisfy constraint: "
        "Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]"
    )


def test_inference_profiles_list_get_and_paginate(server):
    client = server.client("bedrock")
    everything = client.list_inference_profiles()
    assert_valid(client, "ListInferenceProfiles", everything)
    summaries = everything["inferenceProfileSummaries"]
    ids = [p["inferenceProfileId"] for p in summaries]
    assert "us.anthropic.claude-3-haiku-20240307-v1:0" in ids
    assert "global.anthropic.claude-sonnet-4-5-20250929-v1:0" in ids
    assert not any(i.startswith("eu.") for i in ids), "us-east-1 sees only us. and global. profiles"
    assert all(p["type"] == "SYSTEM_DEFINED" and p["status"] == "ACTIVE" for p in summaries)

    pages = list(client.get_paginator("list_inference_profiles").paginate(PaginationConfig={"PageSize": 5}))
    assert len(pages) > 1
    assert [p["inferenceProfileId"] for page in pages for p in page["inferenceProfileSummaries"]] == ids

    profile_id = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    profile = client.get_inference_profile(inferenceProfileIdentifier=profile_id)
    assert_valid(client, "GetInferenceProfile", profile)
    assert profile["inferenceProfileName"] == "US Anthropic Claude Sonnet 4.5"
    assert profile["inferenceProfileArn"].endswith(":inference-profile/" + profile_id)
    assert {m["modelArn"].split(":")[3] for m in profile["models"]} == {"us-east-1", "us-east-2", "us-west-2"}
    by_arn = client.get_inference_profile(inferenceProfileIdentifier=profile["inferenceProfileArn"])
    assert by_arn["inferenceProfileId"] == profile_id


def test_inference_profiles_follow_the_callers_geography(server):
    eu = server.client("bedrock", region="eu-central-1")
    ids = [p["inferenceProfileId"] for p in eu.list_inference_profiles()["inferenceProfileSummaries"]]
    assert ids and all(i.startswith(("eu.", "global.")) for i in ids)
    with pytest.raises(ClientError) as e:
        eu.get_inference_profile(inferenceProfileIdentifier="us.anthropic.claude-3-haiku-20240307-v1:0")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_application_profiles_are_empty_and_bad_tokens_fail(server):
    client = server.client("bedrock")
    assert client.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"] == []
    with pytest.raises(ClientError) as e:
        client.list_inference_profiles(nextToken="not-a-token")
    assert e.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ParamValidationError):
        client.list_inference_profiles(maxResults=0)


def test_wire_bytes_keep_aws_member_order(server):
    req = urllib.request.Request(server.url + "/foundation-models/amazon.titan-embed-text-v2%3A0")
    with urllib.request.urlopen(req) as r:
        raw = r.read().decode()
        assert r.headers["Content-Type"] == "application/json"
        assert r.headers["x-amzn-RequestId"]
    keys = list(json.loads(raw)["modelDetails"].keys())
    assert keys == [
        "modelArn", "modelId", "modelName", "providerName", "inputModalities", "outputModalities",
        "responseStreamingSupported", "customizationsSupported", "inferenceTypesSupported", "modelLifecycle",
    ]
    assert ": " not in raw and ", " not in raw.replace("Titan Text Embeddings V2", ""), "compact like AWS"


def test_models_added_in_the_config_are_listed(make_server):
    s = make_server(
        config_text="""
bedrock:
  models:
    - modelId: acme.widget-v1:0
      modelName: Widget
      providerName: Acme
      family: anthropic-messages
"""
    )
    client = s.client("bedrock")
    model = client.get_foundation_model(modelIdentifier="acme.widget-v1:0")["modelDetails"]
    assert model["providerName"] == "Acme"
    assert model["modelName"] == "Widget"
    assert any(m["modelId"] == "acme.widget-v1:0" for m in client.list_foundation_models(byProvider="Acme")["modelSummaries"])
