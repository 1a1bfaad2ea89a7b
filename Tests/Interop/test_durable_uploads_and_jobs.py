"""Open multipart uploads and batch inference jobs under --data-dir (issue 23): an upload's
acknowledged parts survive a kill -9 and it completes into the object an uninterrupted upload
gives; a batch job killed mid-progress carries on after the restart and writes the same output
as a run without one; finished jobs are still listed after a clean restart, and a reset
forgets them."""
import base64
import hashlib
import json
import os
import signal
import zlib

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
ROLE = "arn:aws:iam::123456789012:role/BedrockBatchRole"
PART = 5 * 1024 * 1024
# Each phase but the run itself instant; the run paced over ten minutes of the server's clock.
PACED = "bedrock:\n  batch:\n    minimumRecords: 10\n    inProgressSeconds: 600\n"


def kill(server):
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()


def crc32(data):
    return zlib.crc32(data).to_bytes(4, "big")


def test_an_open_upload_survives_kill_9_and_completes_whole(make_server, tmp_path):
    data = tmp_path / "data"
    first = make_server("--data-dir", str(data))
    s3 = first.client("s3")
    s3.create_bucket(Bucket="uploads")
    bodies = [bytes([i + 1]) * PART for i in range(2)] + [b"the last, short part"]
    upload = s3.create_multipart_upload(Bucket="uploads", Key="big/object.bin", ContentType="application/x-test",
                                        Metadata={"origin": "durable"}, ChecksumAlgorithm="CRC32")["UploadId"]
    parts = []
    for number, body in enumerate(bodies[:2], start=1):
        answer = s3.upload_part(Bucket="uploads", Key="big/object.bin", UploadId=upload, PartNumber=number, Body=body, ChecksumAlgorithm="CRC32")
        parts.append({"PartNumber": number, "ETag": answer["ETag"], "ChecksumCRC32": answer["ChecksumCRC32"]})
    doomed = s3.create_multipart_upload(Bucket="uploads", Key="doomed")["UploadId"]
    s3.upload_part(Bucket="uploads", Key="doomed", UploadId=doomed, PartNumber=1, Body=b"never completed")
    kill(first)

    second = make_server("--data-dir", str(data))
    s3 = second.client("s3")
    listed = s3.list_multipart_uploads(Bucket="uploads")["Uploads"]
    assert sorted((u["Key"], u["UploadId"]) for u in listed) == sorted([("big/object.bin", upload), ("doomed", doomed)])
    kept = s3.list_parts(Bucket="uploads", Key="big/object.bin", UploadId=upload)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"], p["ChecksumCRC32"]) for p in kept] == [
        (p["PartNumber"], p["ETag"], PART, p["ChecksumCRC32"]) for p in parts]
    assert s3.list_objects_v2(Bucket="uploads").get("Contents", []) == [], "nothing partial is an object"
    answer = s3.upload_part(Bucket="uploads", Key="big/object.bin", UploadId=upload, PartNumber=3, Body=bodies[2], ChecksumAlgorithm="CRC32")
    parts.append({"PartNumber": 3, "ETag": answer["ETag"], "ChecksumCRC32": answer["ChecksumCRC32"]})
    done = s3.complete_multipart_upload(Bucket="uploads", Key="big/object.bin", UploadId=upload, MultipartUpload={"Parts": parts})
    whole = b"".join(bodies)
    etag = '"%s-3"' % hashlib.md5(b"".join(hashlib.md5(b).digest() for b in bodies)).hexdigest()
    composite = base64.b64encode(crc32(b"".join(crc32(b) for b in bodies))).decode() + "-3"
    assert done["ETag"] == etag and done["ChecksumCRC32"] == composite
    got = s3.get_object(Bucket="uploads", Key="big/object.bin", ChecksumMode="ENABLED")
    assert hashlib.sha256(got["Body"].read()).hexdigest() == hashlib.sha256(whole).hexdigest()
    assert (got["ETag"], got["ContentLength"], got["ContentType"], got["Metadata"]) == (etag, len(whole), "application/x-test", {"origin": "durable"})
    assert got["ChecksumCRC32"] == composite
    s3.abort_multipart_upload(Bucket="uploads", Key="doomed", UploadId=doomed)
    assert s3.list_multipart_uploads(Bucket="uploads").get("Uploads", []) == []
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="uploads")["Contents"]] == ["big/object.bin"]
    # Completion and abort leave no part or description behind.
    assert list((data / "s3" / "uploads" / "uploads").iterdir()) == []
    second.stop()
    third = make_server("--data-dir", str(data))
    s3 = third.client("s3")
    assert s3.list_multipart_uploads(Bucket="uploads").get("Uploads", []) == []
    assert s3.head_object(Bucket="uploads", Key="big/object.bin")["ETag"] == etag


def records():
    lines = [json.dumps({"recordId": f"REC{i:08d}", "modelInput": {
        "anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
        "messages": [{"role": "user", "content": [{"type": "text", "text": f"Summarize document {i}."}]}]}}) for i in range(100)]
    return ("\n".join(lines) + "\n").encode()


def start_job(server):
    s3, bedrock = server.client("s3"), server.client("bedrock")
    s3.create_bucket(Bucket="jobs")
    s3.put_object(Bucket="jobs", Key="input/records.jsonl", Body=records())
    return bedrock.create_model_invocation_job(
        jobName="durable", roleArn=ROLE, modelId=MODEL, tags=[{"key": "team", "value": "ml"}],
        inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://jobs/input/"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://jobs/output/"}})["jobArn"]


def advance(server, seconds):
    server.admin("clock", method="POST", body=json.dumps({"advanceSeconds": seconds}).encode())


def outputs(server, arn):
    s3, job_id = server.client("s3"), arn.rsplit("/", 1)[1]
    return {key: s3.get_object(Bucket="jobs", Key=f"output/{job_id}/{key}")["Body"].read()
            for key in ("records.jsonl.out", "manifest.json.out")}


def without_metadata(answer):
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


def test_a_batch_job_killed_mid_progress_completes_after_a_restart(make_server, tmp_path):
    # The same job run without a restart, for its outputs.
    reference = make_server(config_text=PACED)
    reference_arn = start_job(reference)
    assert reference.client("bedrock").get_model_invocation_job(jobIdentifier=reference_arn)["status"] == "InProgress"
    advance(reference, 600)
    assert reference.client("bedrock").get_model_invocation_job(jobIdentifier=reference_arn)["status"] == "Completed"
    expected = outputs(reference, reference_arn)

    data = tmp_path / "data"
    first = make_server("--data-dir", str(data), config_text=PACED)
    arn = start_job(first)
    assert arn == reference_arn, "the seed names jobs alike"
    bedrock = first.client("bedrock")
    assert bedrock.get_model_invocation_job(jobIdentifier=arn)["status"] == "InProgress"
    advance(first, 300)
    halfway = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert (halfway["status"], halfway["processedRecordCount"]) == ("InProgress", 50)
    kill(first)

    second = make_server("--data-dir", str(data), config_text=PACED)
    bedrock = second.client("bedrock")
    resumed = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert (resumed["status"], resumed["processedRecordCount"], resumed["totalRecordCount"]) == ("InProgress", 50, 100)
    assert not second.client("s3").list_objects_v2(Bucket="jobs", Prefix="output/").get("Contents"), "outputs are written once, at the end"
    advance(second, 600)
    done = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert done["status"] == "Completed", done.get("message")
    assert [done[k] for k in ("totalRecordCount", "processedRecordCount", "successRecordCount", "errorRecordCount")] == [100, 100, 100, 0]
    assert outputs(second, arn) == expected
    listed = [without_metadata(j) for j in bedrock.list_model_invocation_jobs()["invocationJobSummaries"]]
    answered = without_metadata(done)
    second.stop()

    # Finished, it reads back the same after a clean restart; a reset forgets it.
    third = make_server("--data-dir", str(data), config_text=PACED)
    bedrock = third.client("bedrock")
    assert without_metadata(bedrock.get_model_invocation_job(jobIdentifier=arn)) == answered
    assert [without_metadata(j) for j in bedrock.list_model_invocation_jobs()["invocationJobSummaries"]] == listed
    third.admin("reset", method="POST", body=b"{}")
    third.stop()
    fourth = make_server("--data-dir", str(data), config_text=PACED)
    assert fourth.client("bedrock").list_model_invocation_jobs()["invocationJobSummaries"] == []
