"""Distributed Map's other S3 datasets through boto3: an S3 inventory (InputType MANIFEST or
ManifestType S3_INVENTORY, gzip data files), an Athena UNLOAD manifest, ListObjectsV2 with
LOAD_AND_FLATTEN, a JSON ItemsPointer and GZIP-compressed objects."""
import gzip
import json

from test_distributed_map import clients, distributed, run  # noqa: F401 (clients is a fixture)

INVENTORY_ROWS = (
    '"src","csvDataset/","0","2022-11-16T00:27:19.000Z"\n'
    '"src","csvDataset/titles.csv","3399671","2022-11-16T00:29:32.000Z"\n')
MORE_ROWS = '"src","imageDataset/pic, 1.jpg","27034","2022-11-15T20:02:16.000Z"\n'


def reader(key, **config):
    return {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": config, "Parameters": {"Bucket": "sources", "Key": key}}


def put_inventory(s3):
    s3.create_bucket(Bucket="sources")
    s3.put_object(Bucket="sources", Key="inv/data/one.csv.gz", Body=gzip.compress(INVENTORY_ROWS.encode()))
    s3.put_object(Bucket="sources", Key="inv/data/two.csv", Body=MORE_ROWS.encode())
    manifest = {"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::sources", "version": "2016-11-30",
                "creationTimestamp": "1668560400000", "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size, LastModifiedDate",
                "files": [{"key": "inv/data/one.csv.gz", "size": 70, "MD5checksum": "0"}, {"key": "inv/data/two.csv", "size": 60, "MD5checksum": "0"}]}
    s3.put_object(Bucket="sources", Key="inv/manifest.json", Body=json.dumps(manifest, indent=1).encode())


def test_s3_inventory_manifest_lists_every_object_by_the_file_schema(clients):
    s3, sfn = clients
    put_inventory(s3)
    expected = [
        {"Bucket": "src", "Key": "csvDataset/", "Size": "0", "LastModifiedDate": "2022-11-16T00:27:19.000Z"},
        {"Bucket": "src", "Key": "csvDataset/titles.csv", "Size": "3399671", "LastModifiedDate": "2022-11-16T00:29:32.000Z"},
        {"Bucket": "src", "Key": "imageDataset/pic, 1.jpg", "Size": "27034", "LastModifiedDate": "2022-11-15T20:02:16.000Z"}]
    legacy = run(sfn, distributed(reader("inv/manifest.json", InputType="MANIFEST")), name="legacy")
    assert legacy["status"] == "SUCCEEDED", legacy
    assert json.loads(legacy["output"]) == expected
    typed = run(sfn, distributed(reader("inv/manifest.json", ManifestType="S3_INVENTORY", MaxItems=2)), name="typed")
    assert json.loads(typed["output"]) == expected[:2]
    both = run(sfn, distributed(reader("inv/manifest.json", ManifestType="S3_INVENTORY", InputType="CSV")), name="both")
    assert both["status"] == "FAILED" and both["error"] == "States.ItemReaderFailed" and "InputType" in both["cause"]
    s3.put_object(Bucket="sources", Key="inv/not-a-manifest.json", Body=b'{"files": []}')
    wrong = run(sfn, distributed(reader("inv/not-a-manifest.json", InputType="MANIFEST")), name="wrong")
    assert wrong["status"] == "FAILED" and wrong["error"] == "States.ItemReaderFailed" and "inventory manifest" in wrong["cause"]


def test_athena_manifest_reads_each_data_file_in_the_input_type(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="sources")
    s3.put_object(Bucket="sources", Key="athena/q-1.gz", Body=gzip.compress(b'{"id": 1}\n{"id": 2}\n'))
    s3.put_object(Bucket="sources", Key="athena/q-2", Body=b'{"id": 3}\n')
    s3.put_object(Bucket="sources", Key="athena/q-manifest.csv", Body=b"s3://sources/athena/q-1.gz\ns3://sources/athena/q-2\n")
    lines = run(sfn, distributed(reader("athena/q-manifest.csv", ManifestType="ATHENA_DATA", InputType="JSONL")), name="athena-jsonl")
    assert lines["status"] == "SUCCEEDED", lines
    assert json.loads(lines["output"]) == [{"id": 1}, {"id": 2}, {"id": 3}]
    s3.put_object(Bucket="sources", Key="athena/c-1", Body=b"a,1\nb,2\n")
    s3.put_object(Bucket="sources", Key="athena/c-manifest.csv", Body=b"s3://sources/athena/c-1\n")
    csv = run(sfn, distributed(reader("athena/c-manifest.csv", ManifestType="ATHENA_DATA", InputType="CSV",
                                      CSVHeaderLocation="GIVEN", CSVHeaders=["name", "n"])), name="athena-csv")
    assert json.loads(csv["output"]) == [{"name": "a", "n": "1"}, {"name": "b", "n": "2"}]


def test_load_and_flatten_reads_the_listed_objects(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="sources")
    s3.put_object(Bucket="sources", Key="logs/", Body=b"")
    s3.put_object(Bucket="sources", Key="logs/a.json", Body=b'[{"n": 1}, {"n": 2}]')
    s3.put_object(Bucket="sources", Key="logs/b.json.gz", Body=gzip.compress(b'[{"n": 3}]'))
    flatten = {"Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {"InputType": "JSON", "Transformation": "LOAD_AND_FLATTEN"},
               "Parameters": {"Bucket": "sources", "Prefix": "logs/"}}
    done = run(sfn, distributed(flatten), name="flatten")
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == [{"n": 1}, {"n": 2}, {"n": 3}]
    metadata = dict(flatten, ReaderConfig={"Transformation": "NONE"})
    assert [item["Key"] for item in json.loads(run(sfn, distributed(metadata), name="metadata")["output"])] == [
        "logs/", "logs/a.json", "logs/b.json.gz"]
    untyped = dict(flatten, ReaderConfig={"Transformation": "LOAD_AND_FLATTEN"})
    failed = run(sfn, distributed(untyped), name="untyped")
    assert failed["status"] == "FAILED" and failed["error"] == "States.ItemReaderFailed" and "InputType" in failed["cause"]


def test_items_pointer_gzip_and_unreadable_compression(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="sources")
    nested = {"inventory": {"products": {"featured": [{"sku": "a/1"}, {"sku": "b"}]}, "a/b": [7]}}
    s3.put_object(Bucket="sources", Key="nested.json.gz", Body=gzip.compress(json.dumps(nested).encode()))
    featured = run(sfn, distributed(reader("nested.json.gz", InputType="JSON", ItemsPointer="/inventory/products/featured")), name="featured")
    assert featured["status"] == "SUCCEEDED", featured
    assert json.loads(featured["output"]) == [{"sku": "a/1"}, {"sku": "b"}]
    escaped = run(sfn, distributed(reader("nested.json.gz", InputType="JSON", ItemsPointer="/inventory/a~1b")), name="escaped")
    assert json.loads(escaped["output"]) == [7]
    absent = run(sfn, distributed(reader("nested.json.gz", InputType="JSON", ItemsPointer="/inventory/none")), name="absent")
    assert absent["status"] == "FAILED" and absent["error"] == "States.ItemReaderFailed" and "/inventory/none" in absent["cause"]
    s3.put_object(Bucket="sources", Key="broken.csv.gz", Body=gzip.compress(b"a,b\n1,2\n")[:-6])
    broken = run(sfn, distributed(reader("broken.csv.gz", InputType="CSV")), name="broken")
    assert broken["status"] == "FAILED" and broken["error"] == "States.ItemReaderFailed" and "GZIP" in broken["cause"]
    s3.put_object(Bucket="sources", Key="rows.csv.zst", Body=b"\x28\xb5\x2f\xfd\x00")
    zstd = run(sfn, distributed(reader("rows.csv.zst", InputType="CSV")), name="zstd")
    assert zstd["status"] == "FAILED" and zstd["error"] == "States.ItemReaderFailed" and "ZSTD" in zstd["cause"]
