"""S3 through boto3, raw HTTP and the AWS CLI: the slice batch inference and Step Functions need."""
import base64
import hashlib
import http.client
import os
import urllib.parse
import uuid
import xml.etree.ElementTree as ElementTree
import zlib

import pytest
from botocore.exceptions import ClientError

from harness import aws_cli


def bucket_name(prefix="bkt"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def s3(server):
    return server.client("s3")


@pytest.fixture
def bucket(s3):
    name = bucket_name()
    s3.create_bucket(Bucket=name)
    return name


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response


def test_put_get_head_with_metadata_and_checksum(s3, bucket):
    body = b"hello understudy"
    put = s3.put_object(Bucket=bucket, Key="dir/a b+c.txt", Body=body, ContentType="text/plain", Metadata={"Owner": "me"})
    assert put["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
    crc = base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()
    assert put["ChecksumCRC32"] == crc
    got = s3.get_object(Bucket=bucket, Key="dir/a b+c.txt", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    assert got["ContentType"] == "text/plain" and got["Metadata"] == {"owner": "me"}
    assert got["ChecksumCRC32"] == crc and got["ContentLength"] == len(body)
    head = s3.head_object(Bucket=bucket, Key="dir/a b+c.txt")
    assert head["ContentLength"] == len(body) and head["ETag"] == put["ETag"]


def test_default_checksum_is_crc64nvme(s3, bucket):
    # Without a client checksum S3 stores CRC64NVME; the value must be the real CRC-64/NVME
    # (check value of "123456789": 0xae8b14860a799888).
    s3.put_object(Bucket=bucket, Key="k", Body=b"123456789", ChecksumAlgorithm="SHA256")
    assert s3.list_objects_v2(Bucket=bucket)["Contents"][0]["ChecksumAlgorithm"] == ["SHA256"]
    raw = http.client.HTTPConnection("127.0.0.1", int(s3.meta.endpoint_url.rsplit(":", 1)[1]))
    raw.request("PUT", f"/{bucket}/plain", body=b"123456789")
    assert raw.getresponse().read() == b""
    raw.request("GET", f"/{bucket}/plain", headers={"x-amz-checksum-mode": "ENABLED"})
    response = raw.getresponse()
    response.read()
    assert response.getheader("x-amz-checksum-crc64nvme") == base64.b64encode(bytes.fromhex("ae8b14860a799888")).decode()


def test_range_requests(s3, bucket):
    s3.put_object(Bucket=bucket, Key="r", Body=b"0123456789")
    part = s3.get_object(Bucket=bucket, Key="r", Range="bytes=2-5")
    assert part["Body"].read() == b"2345" and part["ContentRange"] == "bytes 2-5/10"
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=-3")["Body"].read() == b"789"
    assert s3.get_object(Bucket=bucket, Key="r", Range="bytes=7-")["Body"].read() == b"789"
    err = error_of(lambda: s3.get_object(Bucket=bucket, Key="r", Range="bytes=20-30"))
    assert err["Error"]["Code"] == "InvalidRange" and err["ResponseMetadata"]["HTTPStatusCode"] == 416


def test_conditional_get(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="c", Body=b"x")["ETag"]
    err = error_of(lambda: s3.get_object(Bucket=bucket, Key="c", IfNoneMatch=etag))
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 304
    err = error_of(lambda: s3.get_object(Bucket=bucket, Key="c", IfMatch='"nope"'))
    assert err["Error"]["Code"] == "PreconditionFailed"


def test_errors_as_s3_words_them(s3, bucket):
    err = error_of(lambda: s3.get_object(Bucket=bucket, Key="missing"))
    assert err["Error"] == {"Code": "NoSuchKey", "Message": "The specified key does not exist.", "Key": "missing", "Resource": f"/{bucket}/missing"}
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error_of(lambda: s3.head_object(Bucket=bucket, Key="missing"))["Error"]["Code"] == "404"
    err = error_of(lambda: s3.put_object(Bucket="no-such-bucket-here", Key="k", Body=b"1"))
    assert err["Error"]["Code"] == "NoSuchBucket" and err["Error"]["BucketName"] == "no-such-bucket-here"
    assert error_of(lambda: s3.create_bucket(Bucket="Bad_Name"))["Error"]["Code"] == "InvalidBucketName"
    s3.put_object(Bucket=bucket, Key="keep", Body=b"1")
    assert error_of(lambda: s3.delete_bucket(Bucket=bucket))["Error"]["Code"] == "BucketNotEmpty"


def test_bucket_lifecycle_and_regions(server):
    east = server.client("s3")
    name = bucket_name()
    east.create_bucket(Bucket=name)
    east.create_bucket(Bucket=name)  # us-east-1 re-create by the owner succeeds
    assert any(b["Name"] == name for b in east.list_buckets()["Buckets"])
    assert east.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
    west = server.client("s3", region="eu-west-1")
    other = bucket_name()
    err = error_of(lambda: west.create_bucket(Bucket=other))
    assert err["Error"]["Code"] == "IllegalLocationConstraintException"
    west.create_bucket(Bucket=other, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert west.get_bucket_location(Bucket=other)["LocationConstraint"] == "eu-west-1"
    assert error_of(lambda: west.create_bucket(Bucket=other, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}))["Error"]["Code"] == "BucketAlreadyOwnedByYou"
    stranger = server.client("s3", key="123456789012")
    assert error_of(lambda: stranger.create_bucket(Bucket=name))["Error"]["Code"] == "BucketAlreadyExists"
    east.delete_bucket(Bucket=name)
    assert error_of(lambda: east.head_bucket(Bucket=name))["Error"]["Code"] == "404"


def test_list_objects_v2_prefix_delimiter_pages(s3, bucket):
    keys = ["a/1", "a/2", "a/b/3", "b/4", "c", "space key", "ünï"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [c["Key"] for c in top["Contents"]] == ["c", "space key", "ünï"]
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "b/"]
    nested = s3.list_objects_v2(Bucket=bucket, Prefix="a/", Delimiter="/")
    assert [c["Key"] for c in nested["Contents"]] == ["a/1", "a/2"] and nested["CommonPrefixes"] == [{"Prefix": "a/b/"}]
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2}))
    assert [c["Key"] for p in pages for c in p.get("Contents", [])] == sorted(keys, key=lambda k: k.encode())
    assert len(pages) == 4 and pages[0]["IsTruncated"] and not pages[-1]["IsTruncated"]
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="b/4")
    assert [c["Key"] for c in after["Contents"]] == ["c", "space key", "ünï"]
    v1 = s3.list_objects(Bucket=bucket, Prefix="a/", MaxKeys=2)
    assert [c["Key"] for c in v1["Contents"]] == ["a/1", "a/2"] and v1["IsTruncated"]
    err = error_of(lambda: s3.list_objects_v2(Bucket=bucket, ContinuationToken="garbage!"))
    assert err["Error"]["Code"] == "InvalidArgument"


def test_copy_and_delete_objects(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"data", Metadata={"a": "1"})
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    copied = s3.get_object(Bucket=bucket, Key="dst")
    assert copied["Body"].read() == b"data" and copied["Metadata"] == {"a": "1"}
    s3.copy_object(Bucket=bucket, Key="dst", CopySource=f"{bucket}/src", MetadataDirective="REPLACE", Metadata={"b": "2"})
    assert s3.head_object(Bucket=bucket, Key="dst")["Metadata"] == {"b": "2"}
    err = error_of(lambda: s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"}))
    assert err["Error"]["Code"] == "InvalidRequest"
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "src"}, {"Key": "dst"}, {"Key": "never"}]})
    assert sorted(d["Key"] for d in deleted["Deleted"]) == ["dst", "never", "src"]
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    s3.delete_object(Bucket=bucket, Key="never")  # deleting a missing key succeeds


def test_multipart_upload(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big", ChecksumAlgorithm="CRC32")
    first, second = os.urandom(5 * 1024 * 1024), b"tail"
    parts = []
    for number, body in ((1, first), (2, second)):
        r = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload["UploadId"], PartNumber=number, Body=body, ChecksumAlgorithm="CRC32")
        parts.append({"PartNumber": number, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
    assert [p["PartNumber"] for p in s3.list_parts(Bucket=bucket, Key="big", UploadId=upload["UploadId"])["Parts"]] == [1, 2]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload["UploadId"], MultipartUpload={"Parts": parts})
    digest = hashlib.md5(hashlib.md5(first).digest() + hashlib.md5(second).digest()).hexdigest()
    assert done["ETag"] == f'"{digest}-2"' and done["ChecksumCRC32"].endswith("-2")
    assert s3.get_object(Bucket=bucket, Key="big", ChecksumMode="ENABLED")["Body"].read() == first + second
    err = error_of(lambda: s3.upload_part(Bucket=bucket, Key="big", UploadId=upload["UploadId"], PartNumber=3, Body=b"x"))
    assert err["Error"]["Code"] == "NoSuchUpload"
    small = s3.create_multipart_upload(Bucket=bucket, Key="small")
    tags = [s3.upload_part(Bucket=bucket, Key="small", UploadId=small["UploadId"], PartNumber=n, Body=b"x")["ETag"] for n in (1, 2)]
    err = error_of(lambda: s3.complete_multipart_upload(
        Bucket=bucket, Key="small", UploadId=small["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": tags[0]}, {"PartNumber": 2, "ETag": tags[1]}]}))
    assert err["Error"]["Code"] == "EntityTooSmall"
    raw = http.client.HTTPConnection("127.0.0.1", int(s3.meta.endpoint_url.rsplit(":", 1)[1]))
    raw.request("GET", f"/{bucket}/small?uploadId={small['UploadId']}&max-parts=-1")
    response = raw.getresponse()
    assert response.status == 400 and b"<Code>InvalidArgument</Code>" in response.read()
    raw.request("POST", f"/{bucket}/small?uploadId={small['UploadId']}", body=b"<a>" * 100_000)
    response = raw.getresponse()
    assert response.status == 400 and b"<Code>MalformedXML</Code>" in response.read()
    s3.abort_multipart_upload(Bucket=bucket, Key="small", UploadId=small["UploadId"])
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_bad_checksums_are_refused(server, bucket):
    raw = http.client.HTTPConnection("127.0.0.1", server.port)
    raw.request("PUT", f"/{bucket}/k", body=b"abc", headers={"Content-MD5": base64.b64encode(hashlib.md5(b"xyz").digest()).decode()})
    response = raw.getresponse()
    assert response.status == 400 and b"<Code>BadDigest</Code>" in response.read()
    raw.request("PUT", f"/{bucket}/k", body=b"abc", headers={"x-amz-checksum-crc32": "AAAAAA=="})
    response = raw.getresponse()
    assert response.status == 400 and b"<Code>BadDigest</Code>" in response.read()


def test_aws_chunked_upload_with_trailer(server, bucket):
    # What botocore sends over https: aws-chunked inside HTTP chunked, checksum in a trailer.
    data = b'{"recordId":"1"}\n'
    crc = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    body = b"%x\r\n" % len(data) + data + b"\r\n0\r\nx-amz-checksum-crc32:" + crc.encode() + b"\r\n\r\n"
    raw = http.client.HTTPConnection("127.0.0.1", server.port)
    raw.request("PUT", f"/{bucket}/chunked.jsonl", body=body, headers={
        "Content-Encoding": "aws-chunked", "X-Amz-Content-SHA256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "X-Amz-Decoded-Content-Length": str(len(data)), "X-Amz-Trailer": "x-amz-checksum-crc32", "Content-Type": "application/json"})
    response = raw.getresponse()
    response.read()
    assert response.status == 200 and response.getheader("x-amz-checksum-crc32") == crc
    got = server.client("s3").get_object(Bucket=bucket, Key="chunked.jsonl")
    assert got["Body"].read() == data and got.get("ContentEncoding") is None


def test_virtual_host_addressing(server, bucket):
    server.client("s3").put_object(Bucket=bucket, Key="vh/key.txt", Body=b"virtual")
    raw = http.client.HTTPConnection("127.0.0.1", server.port)
    raw.request("GET", "/vh/key.txt", headers={"Host": f"{bucket}.localhost:{server.port}"})
    assert raw.getresponse().read() == b"virtual"
    raw.request("GET", "/vh/key.txt", headers={"Host": f"{bucket}.s3.us-east-1.localhost.localstack.cloud:{server.port}"})
    assert raw.getresponse().read() == b"virtual"


def test_dot_dot_key_is_refused_and_harmless(make_server, tmp_path):
    data = tmp_path / "data"
    srv = make_server("--data-dir", str(data))
    s3 = srv.client("s3")
    s3.create_bucket(Bucket="safe-bucket")
    err = error_of(lambda: s3.put_object(Bucket="safe-bucket", Key="../escape.txt", Body=b"x"))
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400 and err["Error"]["Code"] == "InvalidURI"
    assert err["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"]
    err = error_of(lambda: s3.put_object(Bucket="safe-bucket", Key="a/../../etc/passwd", Body=b"x"))
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400 and err["Error"]["Code"] == "InvalidURI"
    s3.put_object(Bucket="safe-bucket", Key="a/../b.txt", Body=b"inside")
    assert s3.get_object(Bucket="safe-bucket", Key="a/../b.txt")["Body"].read() == b"inside"
    # Spelled %2E%2E the dots are the key's own, stored as data (the file is named by a digest).
    raw = http.client.HTTPConnection("127.0.0.1", srv.port)
    raw.request("PUT", "/safe-bucket/%2E%2E/%2E%2E/escape2.txt", body=b"encoded")
    put = raw.getresponse()
    assert put.status == 200, put.read()
    put.read()
    raw.request("GET", "/safe-bucket/%2E%2E/%2E%2E/escape2.txt")
    assert raw.getresponse().read() == b"encoded"
    listed = s3.list_objects_v2(Bucket="safe-bucket")["Contents"]
    assert sorted(o["Key"] for o in listed) == ["../../escape2.txt", "a/../b.txt"]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(str(p).startswith(str(data)) for p in written)
    assert not any("escape" in p.name or p.name == "b.txt" for p in written)


def test_data_dir_survives_restart(make_server, tmp_path):
    data = tmp_path / "store"
    first = make_server("--data-dir", str(data))
    s3 = first.client("s3")
    s3.create_bucket(Bucket="durable-bucket")
    s3.put_object(Bucket="durable-bucket", Key="x/y.json", Body=b'{"a":1}', ContentType="application/json")
    first.stop()
    second = make_server("--data-dir", str(data))
    got = second.client("s3").get_object(Bucket="durable-bucket", Key="x/y.json")
    assert got["Body"].read() == b'{"a":1}' and got["ContentType"] == "application/json"


def aws(server, *args):
    return aws_cli(server, *args, output=None)



def test_cli_cp_ls_rm_large_file(server, tmp_path):
    name = bucket_name("cli")
    assert aws(server, "s3", "mb", f"s3://{name}").returncode == 0
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(50 * 1024 * 1024))
    upload = aws(server, "s3", "cp", str(source), f"s3://{name}/data/big.bin", "--only-show-errors")
    assert upload.returncode == 0, upload.stderr
    parts = server.client("s3").head_object(Bucket=name, Key="data/big.bin", PartNumber=1)
    assert int(parts["ResponseMetadata"]["HTTPHeaders"]["x-amz-mp-parts-count"]) > 1  # multipart
    listing = aws(server, "s3", "ls", f"s3://{name}/data/")
    assert listing.returncode == 0 and "52428800 big.bin" in listing.stdout
    back = tmp_path / "back.bin"
    assert aws(server, "s3", "cp", f"s3://{name}/data/big.bin", str(back), "--only-show-errors").returncode == 0
    assert back.read_bytes() == source.read_bytes()
    assert aws(server, "s3", "rm", f"s3://{name}/data/big.bin").returncode == 0
    assert aws(server, "s3", "ls", f"s3://{name}/data/").stdout == ""
    missing = aws(server, "s3", "ls", "s3://no-such-bucket-cli")
    assert missing.returncode != 0 and "NoSuchBucket" in missing.stderr


def test_keys_with_control_characters_round_trip_through_listings(server):
    """XML 1.0 reads a raw CR as LF and cannot carry most C0 controls at all: S3 writes CR as
    `&#13;`, and `encoding-type=url` (boto3 sets it on object listings) keeps every key exact."""
    s3 = server.client("s3")
    s3.create_bucket(Bucket="control-keys")
    key = "ctl\x01a\rb\tc"
    s3.put_object(Bucket="control-keys", Key=key, Body=b"x")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="control-keys")["Contents"]] == [key]
    assert [o["Key"] for o in s3.list_objects(Bucket="control-keys")["Contents"]] == [key]
    raw = http.client.HTTPConnection("127.0.0.1", server.port)
    raw.request("GET", "/control-keys?list-type=2")
    listing = ElementTree.fromstring(raw.getresponse().read())
    (plain,) = [k.text for k in listing.iter("{http://s3.amazonaws.com/doc/2006-03-01/}Key")]
    assert plain == "ctl\ufffda\rb\tc"  # CR kept; what XML cannot carry is U+FFFD
    upload = s3.create_multipart_upload(Bucket="control-keys", Key=key)["UploadId"]
    uploads = s3.list_multipart_uploads(Bucket="control-keys", EncodingType="url")
    assert uploads["EncodingType"] == "url"
    assert [(urllib.parse.unquote(u["Key"]), u["UploadId"]) for u in uploads["Uploads"]] == [(key, upload)]
