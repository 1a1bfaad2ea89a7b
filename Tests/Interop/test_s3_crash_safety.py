"""S3 objects under --data-dir survive `kill -9` whole: rapid overwrites while the server is
killed at random moments never leave a torn object (HEAD and ListObjectsV2 on one version,
GET on another), an acknowledged object is never lost, and start-up clears what a crash left
behind. Bounded: ten kills, a few seconds in all."""
import hashlib
import os
import random
import signal
import threading
import time

from harness import Server


def body_for(n):
    # Sizes differ from write to write, so a size from one version and a body from another
    # cannot agree by chance.
    return (f"write {n} ".encode() * (1 + n % 97))[: 100 + (n * 37) % 5000]


def test_overwrites_killed_mid_write_leave_whole_objects(tmp_path):
    data = tmp_path / "data"
    rng = random.Random(7)
    acknowledged = {}
    written = 0
    for round_ in range(10):
        server = Server("--data-dir", str(data))
        s3 = server.client("s3")
        if round_ == 0:
            s3.create_bucket(Bucket="torn")
        # What survived the last kill is whole, and at least as new as the last acknowledged write.
        for key, n in acknowledged.items():
            head = s3.head_object(Bucket="torn", Key=key)
            got = s3.get_object(Bucket="torn", Key=key)["Body"].read()
            assert head["ContentLength"] == len(got), (round_, key)
            assert head["ETag"] == f'"{hashlib.md5(got).hexdigest()}"', (round_, key)
            number = int(got.split(b" ")[1])
            assert number >= n and got == body_for(number), (round_, key, number, n)
        listed = {o["Key"]: o for o in s3.list_objects_v2(Bucket="torn").get("Contents", [])}
        for key, item in listed.items():
            got = s3.get_object(Bucket="torn", Key=key)["Body"].read()
            assert item["Size"] == len(got) and item["ETag"] == f'"{hashlib.md5(got).hexdigest()}"', (round_, key)
        # Nothing a crash leaves behind survives a start: no staged bodies, no unnamed bodies
        # (each object is one body file; its description is a row of understudy.db).
        objects = data / "s3" / "torn" / "objects"
        if objects.exists():
            files = sorted(p.name for p in objects.iterdir())
            assert len(files) == len(listed) and not any(f.endswith(".json") for f in files), files
        assert not any((data / "s3" / ".staging").iterdir())

        stop = threading.Event()

        def writer(start):
            client = server.client("s3")
            n = start
            while not stop.is_set():
                # Each writer its own keys: a key's writes come one after another, so the
                # acknowledged order is the order they took effect.
                key = f"w{start % 2}-{n % 3}"
                try:
                    client.put_object(Bucket="torn", Key=key, Body=body_for(n))
                except Exception:
                    return
                acknowledged[key] = max(acknowledged.get(key, -1), n)
                n += 2

        threads = [threading.Thread(target=writer, args=(written + i,)) for i in range(2)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.3))
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
        stop.set()
        for t in threads:
            t.join()
        written += 100000
