/// Requests botocore 1.44.5 (boto3 1.44.5, the interop venv's) sent, in pairs: the one a client
/// pointed at Understudy sends (`endpoint_url` localhost; with `inject_host_prefix=False` for
/// StartSyncExecution; `https://localhost:4566` for the aws-chunked upload, since botocore only
/// chunks over TLS), and the one the same client sends to AWS itself at the same instant (for
/// S3 PutObject over plain `http://s3.us-east-1.amazonaws.com`, which is the plain body with
/// the checksum header that the forwarder turns an aws-chunked upload into). Forwarding the
/// first must give the second, `Authorization` byte for byte.
///
/// Made once, with no network, by this script (captured in `before-send`, then aborted):
///
/// ```python
/// import datetime, uuid, boto3, botocore.auth, botocore.endpoint
/// from botocore.config import Config
/// FROZEN = datetime.datetime(2024, 5, 24, 12, 0, 0, tzinfo=datetime.timezone.utc)
/// botocore.auth.get_current_datetime = lambda: FROZEN
/// botocore.endpoint.uuid.uuid4 = lambda: uuid.UUID("00000000-0000-4000-8000-000000000000")
/// class Captured(Exception): pass
/// def client(service, endpoint_url=None, **cfg):
///     s = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE",
///         aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
///         aws_session_token="CANARY-SESSION-TOKEN/forwarding+test==", region_name="us-east-1")
///     c = s.client(service, endpoint_url=endpoint_url, config=Config(retries={"max_attempts": 0}, **cfg))
///     def grab(request, **kw):
///         body = request.body.read() if hasattr(request.body, "read") else request.body
///         raise Captured(request.method, request.url, list(request.headers.items()), body)
///     c.meta.events.register("before-send", grab)
///     return c
/// # then, e.g.:
/// client("bedrock-runtime", "http://localhost:4566").invoke_model(modelId=..., body=...)
/// client("bedrock-runtime").invoke_model(modelId=..., body=...)
/// ```
///
/// `Host` is the one urllib3 adds from the URL. `User-Agent` (unsigned, and different between
/// the two clients) and `Expect` (dropped by the forwarder) are left out of the upstream side.
struct BotocorePair {
    let name: String
    let method: String
    let clientTarget: String
    let clientHeaders: [(String, String)]
    let clientBody: String
    let upstreamURL: String
    let upstreamHeaders: [(String, String)]
    let upstreamBody: String

    static let all: [BotocorePair] = [
        BotocorePair(
            name: "bedrock_invoke", method: "POST", clientTarget: "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, Signature=6b3c257decace7d5d6ed05765c9683166eaab78c043a7c0cd5e78486feaae517"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "69"),
            ],
            clientBody: "{\"prompt\": \"\\n\\nHuman: hi\\n\\nAssistant:\", \"max_tokens_to_sample\": 20}",
            upstreamURL: "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
            upstreamHeaders: [
                ("Host", "bedrock-runtime.us-east-1.amazonaws.com"),
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token, Signature=29df7a77e7b9653eefafa6a891817f7c865cacf208082216515c1fb1905661fa"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "69"),
            ],
            upstreamBody: "{\"prompt\": \"\\n\\nHuman: hi\\n\\nAssistant:\", \"max_tokens_to_sample\": 20}"),
        BotocorePair(
            name: "bedrock_converse_stream_arn", method: "POST", clientTarget: "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("Content-Type", "application/json"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=7079a783751cb54813bde201a4b7803094e39f917dfa59151fc58841b071a313"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "61"),
            ],
            clientBody: "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]}",
            upstreamURL: "https://bedrock-runtime.us-east-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream",
            upstreamHeaders: [
                ("Host", "bedrock-runtime.us-east-1.amazonaws.com"),
                ("Content-Type", "application/json"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=aceeb70de80c0c07c8447538df6aef7296a52eaa7140661ddab3b4bb737932ff"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "61"),
            ],
            upstreamBody: "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]}"),
        BotocorePair(
            name: "bedrock_list_models", method: "GET", clientTarget: "/foundation-models?byProvider=anthropic",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=b06123123eb4bfea5be242025ebd913c816bb7101e966d5c9c7f65e08cbcc0ed"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
            ],
            clientBody: "",
            upstreamURL: "https://bedrock.us-east-1.amazonaws.com/foundation-models?byProvider=anthropic",
            upstreamHeaders: [
                ("Host", "bedrock.us-east-1.amazonaws.com"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=d13c2b075b8090aeceac9682bcdee49164ebb2931f3c249455c519d494cf3188"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
            ],
            upstreamBody: ""),
        BotocorePair(
            name: "states_start_sync", method: "POST", clientTarget: "/",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("X-Amz-Target", "AWSStepFunctions.StartSyncExecution"),
                ("Content-Type", "application/x-amz-json-1.0"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=12c4f597a73a27f8efe2a8e9b877143ba4cf05d0bd505f92c7011af9d35d81f2"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "109"),
            ],
            clientBody: "{\"stateMachineArn\": \"arn:aws:states:us-east-1:123456789012:stateMachine:Moon\", \"input\": \"{\\\"prompt\\\":\\\"x\\\"}\"}",
            upstreamURL: "https://sync-states.us-east-1.amazonaws.com/",
            upstreamHeaders: [
                ("Host", "sync-states.us-east-1.amazonaws.com"),
                ("X-Amz-Target", "AWSStepFunctions.StartSyncExecution"),
                ("Content-Type", "application/x-amz-json-1.0"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=7085e8beb1743382564749d0c25b2215f771b01898368115225915d5fc8241ef"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "109"),
            ],
            upstreamBody: "{\"stateMachineArn\": \"arn:aws:states:us-east-1:123456789012:stateMachine:Moon\", \"input\": \"{\\\"prompt\\\":\\\"x\\\"}\"}"),
        BotocorePair(
            name: "states_list", method: "POST", clientTarget: "/",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("X-Amz-Target", "AWSStepFunctions.ListStateMachines"),
                ("Content-Type", "application/x-amz-json-1.0"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=52184555a8abfb447b5c330540910df750081be645eba476ead46c77bc7cf16f"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "2"),
            ],
            clientBody: "{}",
            upstreamURL: "https://states.us-east-1.amazonaws.com/",
            upstreamHeaders: [
                ("Host", "states.us-east-1.amazonaws.com"),
                ("X-Amz-Target", "AWSStepFunctions.ListStateMachines"),
                ("Content-Type", "application/x-amz-json-1.0"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=24bca1db252541c8d097c68b03bf2e9e8fd51cbca305f80fdd1ae3aa7265921b"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "2"),
            ],
            upstreamBody: "{}"),
        BotocorePair(
            name: "s3_put_plain", method: "PUT", clientTarget: "/batch/in/a%20b%2Bc.jsonl",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,U,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("Expect", "100-continue"),
                ("x-amz-checksum-crc32", "0B99ig=="),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "d3622fb1f07e4643cc1217f586ef577dd9aa11d9ab6fa7e209d2d5da42177805"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-sdk-checksum-algorithm;x-amz-security-token, Signature=a62325d45f3a34d36a227b3dae0d735c58f7189e281ca8fbee0f412d2086b7f9"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "17"),
            ],
            clientBody: "{\"recordId\":\"1\"}\n",
            upstreamURL: "http://s3.us-east-1.amazonaws.com/batch/in/a%20b%2Bc.jsonl",
            upstreamHeaders: [
                ("Host", "s3.us-east-1.amazonaws.com"),
                ("x-amz-checksum-crc32", "0B99ig=="),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "d3622fb1f07e4643cc1217f586ef577dd9aa11d9ab6fa7e209d2d5da42177805"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-sdk-checksum-algorithm;x-amz-security-token, Signature=70a285cc214c36968dfefc3f24d4134754a43bf6a0ccce62f601529d7d2fc2dc"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "17"),
            ],
            upstreamBody: "{\"recordId\":\"1\"}\n"),
        BotocorePair(
            name: "s3_put_chunked", method: "PUT", clientTarget: "/batch/in/part-1.jsonl",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,U,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("Expect", "100-continue"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Encoding", "aws-chunked"),
                ("X-Amz-Trailer", "x-amz-checksum-crc32"),
                ("X-Amz-Decoded-Content-Length", "17"),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-sdk-checksum-algorithm;x-amz-security-token;x-amz-trailer, Signature=12e3967e0c05db5e20bb3a6134e3a6472f6ceb6c2fc85fead72c57987d13b6ff"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
            ],
            clientBody: "11\r\n{\"recordId\":\"1\"}\n\r\n0\r\nx-amz-checksum-crc32:0B99ig==\r\n\r\n",
            upstreamURL: "http://s3.us-east-1.amazonaws.com/batch/in/part-1.jsonl",
            upstreamHeaders: [
                ("Host", "s3.us-east-1.amazonaws.com"),
                ("x-amz-checksum-crc32", "0B99ig=="),
                ("x-amz-sdk-checksum-algorithm", "CRC32"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "d3622fb1f07e4643cc1217f586ef577dd9aa11d9ab6fa7e209d2d5da42177805"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-sdk-checksum-algorithm;x-amz-security-token, Signature=d6af98426306c83d6622fae69397ec819606b0d1b035ed1d7080420f632baa0f"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
                ("Content-Length", "17"),
            ],
            upstreamBody: "{\"recordId\":\"1\"}\n"),
        BotocorePair(
            name: "s3_get", method: "GET", clientTarget: "/batch/out/x.json",
            clientHeaders: [
                ("Host", "localhost:4566"),
                ("Range", "bytes=0-9"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("User-Agent", "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux#6.18.44-fc-v1252 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/e,b,Z,N,E cfg/retry-mode#standard Botocore/1.44.5"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=cf9b9f6fa586db7b53301dd3eeefa5ebbb91d3ee8e5febe679bb613d6f5b3159"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
            ],
            clientBody: "",
            upstreamURL: "https://s3.us-east-1.amazonaws.com/batch/out/x.json",
            upstreamHeaders: [
                ("Host", "s3.us-east-1.amazonaws.com"),
                ("Range", "bytes=0-9"),
                ("x-amz-checksum-mode", "ENABLED"),
                ("X-Amz-Date", "20240524T120000Z"),
                ("X-Amz-Security-Token", "CANARY-SESSION-TOKEN/forwarding+test=="),
                ("X-Amz-Content-SHA256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=2e249578ad6722b5676eae84cb52c7e5bc31754bb8d1c13428d37f2f650632a0"),
                ("amz-sdk-invocation-id", "00000000-0000-4000-8000-000000000000"),
                ("amz-sdk-request", "attempt=1; max=1"),
            ],
            upstreamBody: ""),
    ]
}
