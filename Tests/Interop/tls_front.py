"""nginx terminating TLS in front of a local server, with a test CA and certificate made by the
openssl tool at test time: how the interop tests stand in for an https AWS endpoint."""
import contextlib
import shutil
import subprocess
import time

import pytest

from harness import free_port

HAVE_TOOLS = bool(shutil.which("openssl") and shutil.which("nginx"))
needs_tools = pytest.mark.skipif(not HAVE_TOOLS, reason="needs the openssl tool and nginx")


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_ca(directory, name="ca"):
    """A self-signed test CA; returns (certificate, key)."""
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN=Interop Test {name}")
    return cert, key


def make_certificate(directory, ca, names, stem="server"):
    """A server certificate for `names` (a subjectAltName list) signed by `ca`."""
    key, csr, cert = directory / f"{stem}.key", directory / f"{stem}.csr", directory / f"{stem}.pem"
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    (directory / f"{stem}.ext").write_text(f"subjectAltName={names}\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca[0], "-CAkey", ca[1], "-CAcreateserial",
            "-out", cert, "-days", "2", "-extfile", directory / f"{stem}.ext")
    return cert, key


@contextlib.contextmanager
def tls_front(directory, backend_port, certificate):
    """nginx on https://127.0.0.1:PORT proxying to http://127.0.0.1:backend_port, streaming both
    ways (no buffering, so event streams pass frame by frame); yields PORT."""
    cert, key = certificate
    port = free_port()
    (directory / "nginx").mkdir(exist_ok=True)
    config = directory / f"nginx-{port}.conf"
    config.write_text(f"""
daemon off;
worker_processes 1;
pid {directory}/nginx-{port}.pid;
error_log {directory}/nginx-error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {directory}/nginx/body;
    proxy_temp_path {directory}/nginx/proxy;
    fastcgi_temp_path {directory}/nginx/fastcgi;
    uwsgi_temp_path {directory}/nginx/uwsgi;
    scgi_temp_path {directory}/nginx/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        client_max_body_size 0;
        # Bodies stay in memory: workers run as another user when the tests run as root, and
        # could not write nginx's temporary files under the test's directory.
        client_body_buffer_size 16m;
        proxy_request_buffering off;
        proxy_buffering off;
        location / {{
            proxy_pass http://127.0.0.1:{backend_port};
            proxy_set_header Host $http_host;
            proxy_http_version 1.1;
        }}
    }}
}}
""")
    nginx = subprocess.Popen(["nginx", "-p", str(directory), "-c", str(config)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-brief"],
                             input=b"", capture_output=True).returncode != 0:
            if nginx.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: {nginx.stderr.read().decode() if nginx.poll() is not None else 'timeout'}")
            time.sleep(0.05)
        yield port
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
