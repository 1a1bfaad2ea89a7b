"""The AWS CLI against the binary: the catalog commands and how it prints errors."""
import json

from harness import aws_cli


def aws(server, *args, region="us-east-1"):
    return aws_cli(server, *args, region=region, AWS_MAX_ATTEMPTS="1")



def test_cli_list_foundation_models(server):
    result = aws(server, "bedrock", "list-foundation-models", "--by-provider", "Anthropic")
    assert result.returncode == 0, result.stderr
    models = json.loads(result.stdout)["modelSummaries"]
    assert models and all(m["providerName"] == "Anthropic" for m in models)


def test_cli_get_foundation_model_by_arn(server):
    arn = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-instant-v1"
    result = aws(server, "bedrock", "get-foundation-model", "--model-identifier", arn)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["modelDetails"]["modelArn"] == arn


def test_cli_inference_profiles(server):
    result = aws(server, "bedrock", "list-inference-profiles", region="eu-west-1")
    assert result.returncode == 0, result.stderr
    ids = [p["inferenceProfileId"] for p in json.loads(result.stdout)["inferenceProfileSummaries"]]
    assert "eu.anthropic.claude-3-haiku-20240307-v1:0" in ids
    result = aws(server, "bedrock", "get-inference-profile", "--inference-profile-identifier", "eu.anthropic.claude-3-haiku-20240307-v1:0", region="eu-west-1")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["inferenceProfileName"] == "EU Anthropic Claude 3 Haiku"


def test_cli_prints_the_error_as_against_aws(server):
    result = aws(server, "bedrock", "get-foundation-model", "--model-identifier", "anthropic.nothing-v1")
    assert result.returncode in (254, 255)  # awscli v2 exits 254, v1 255
    assert (
        "An error occurred (ValidationException) when calling the GetFoundationModel operation: "
        "The provided model identifier is invalid." in result.stderr
    )
