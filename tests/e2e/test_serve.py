"""scripts/serve: two workers behind HAProxy. A browser stays on one worker (its session, its uploads and
downloads live there); a write through the command line is seen by every worker on its next run; a
signed-in analyst uploads and downloads through the balancer; a worker killed is started again while the other
serves its browsers (issue 20). With a certificate it serves HTTPS, with HSTS and Secure cookies; by default it
listens on this machine only."""

from __future__ import annotations

import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from dashboard import ROOT, free_port, stop, wait_healthy
from drive import ANALYST, PASSWORD, go, open_app, settle, sign_in
from helpers import csv_bytes, synthetic_year

from papi_analysis.access.passwords import hash_password

sys.path.insert(0, str(ROOT / "bench"))
import wsclient

COOKIE = "papi_worker"


@pytest.fixture(scope="module")
def balanced(built_db, tmp_path_factory):
    if not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        pytest.fail("haproxy is missing: scripts/install-haproxy installs Debian's haproxy")
    workdir = tmp_path_factory.mktemp("serve")
    db = workdir / "papi.duckdb"
    shutil.copy(built_db, db)
    secrets = workdir / "secrets.toml"
    secrets.write_text(f'[analysts]\n{ANALYST} = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    port = free_port()
    command = [sys.executable, "scripts/serve.py", "--port", str(port), "--workers", "2", "--address", "127.0.0.1"]
    command += ["--", "--secrets.files", str(secrets)]
    # a PATH without the sbin folders, as Debian gives a non-root user: scripts/serve finds haproxy itself
    path = ":".join(d for d in os.environ.get("PATH", "").split(":") if not d.rstrip("/").endswith("sbin"))
    env = {**os.environ, "PAPI_DB": str(db), "PATH": path}
    with (workdir / "serve.log").open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, [process], seconds=120)
            yield {"url": url, "db": db, "log": workdir / "serve.log", "process": process}
        finally:
            stop([process])  # SIGTERM: scripts/serve stops its workers and HAProxy (kill after 10 s)


def worker_of(url: str, cookie: str | None = None) -> tuple[str, str]:
    """Which worker answered, and the cookie the balancer set (if any)."""
    request = urllib.request.Request(f"{url}/", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Papi-Worker"], response.headers.get("Set-Cookie", "")


def test_a_browser_stays_on_its_worker(balanced):
    worker, set_cookie = worker_of(balanced["url"])
    assert set_cookie.startswith(f"{COOKIE}={worker};") and "HttpOnly" in set_cookie
    assert {worker_of(balanced["url"], f"{COOKIE}={worker}")[0] for _ in range(6)} == {worker}
    assert {worker_of(balanced["url"])[0] for _ in range(6)} == {"w1", "w2"}  # new browsers are spread


def overview(url: str, worker: str, year: int) -> bytes:
    query = f"year={year}&province=soc-trang"
    visit = wsclient.run(wsclient.open_page(url, query, cookie=f"{COOKIE}={worker}", keep=True))
    assert not visit.error, visit.error
    return visit.payload


def test_a_command_line_write_is_seen_by_every_worker_at_once(balanced, tmp_path):
    for worker in ("w1", "w2"):  # both workers have cached the data without 2025
        assert "Chưa có số liệu PAPI năm 2025".encode() in overview(balanced["url"], worker, 2025)
    upload = tmp_path / "papi_2025.csv"
    upload.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng", "Cà Mau", "Bạc Liêu"], 2025)))
    command = [sys.executable, "-m", "papi_analysis", "ingest", str(upload), "--user", "lan"]
    env = {**os.environ, "PAPI_DB": str(balanced["db"])}
    assert subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120).returncode == 0
    for worker in ("w1", "w2"):
        payload = overview(balanced["url"], worker, 2025)
        assert "Sóc Trăng — PAPI 2025".encode() in payload and "Chưa có số liệu".encode() not in payload


def test_sign_in_upload_and_download_through_the_balancer(page, balanced, tmp_path):
    sign_in(page, balanced)
    go(page, "Tải dữ liệu lên")  # the session (signed in) is found again on the same worker
    upload = tmp_path / "papi_2026.csv"
    upload.write_bytes(csv_bytes(synthetic_year(["Sóc Trăng", "Cà Mau"], 2026)))
    page.get_by_label("Tệp điểm số").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    page.get_by_text("Xem trước").first.wait_for()  # the uploaded file reached the worker that reads it
    page.get_by_text("Thêm mới").first.wait_for()
    open_app(page, balanced, "du-lieu")
    for _ in range(3):  # the file is kept by the worker that drew the button
        with page.expect_download() as download:
            page.get_by_role("button", name="Tải CSV").click()
        assert Path(download.value.path()).read_bytes().startswith(b"\xef\xbb\xbf")
        settle(page)


def _pid(log: Path, worker: str, event: str) -> int | None:
    found = re.findall(rf"worker {worker} {event} \(pid (\d+)", log.read_text(encoding="utf-8"))
    return int(found[-1]) if found else None


def wait_for(condition, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.5)
    raise AssertionError(f"not within {seconds} s")


def answered_by(url: str, cookie: str) -> str | None:
    try:
        return worker_of(url, cookie)[0]
    except OSError:
        return None


def test_a_worker_killed_is_started_again_and_its_browsers_are_served_meanwhile(balanced):
    """Runs last in this module: w1 goes down and comes back."""
    url, log = balanced["url"], balanced["log"]
    first = wait_for(lambda: _pid(log, "w1", "started"))
    os.kill(first, signal.SIGKILL)
    assert worker_of(url, f"{COOKIE}=w1")[0] == "w2"  # the browser pinned to w1 is served by w2 at once
    restarted = wait_for(lambda: _pid(log, "w1", "restarted"))
    assert restarted != first and balanced["process"].poll() is None  # the service did not stop
    assert wait_for(lambda: answered_by(url, f"{COOKIE}=w1") == "w1")  # w1 is back in the balancer
    assert "Sóc Trăng — PAPI 2022".encode() in overview(url, "w1", 2022)
    assert "serve: worker w1 stopped (exit -9); its browsers go to the other workers." in log.read_text("utf-8")


def test_the_default_is_this_machine_only():
    sys.path.insert(0, str(ROOT / "scripts"))
    import serve

    assert serve.parser().parse_args([]).address == "127.0.0.1"
    assert "bind 127.0.0.1:8501\n" in serve.haproxy_config("127.0.0.1", 8501, [1])


@pytest.fixture(scope="module")
def secured(built_db, tmp_path_factory):
    """scripts/serve with a (self-signed) certificate: HAProxy terminates TLS."""
    workdir = tmp_path_factory.mktemp("serve_tls")
    db = workdir / "papi.duckdb"
    shutil.copy(built_db, db)
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"]
    subprocess.run([*request, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port = free_port()
    command = [sys.executable, "scripts/serve.py", "--port", str(port), "--workers", "1"]
    command += ["--tls-cert", str(cert), "--tls-key", str(key)]
    with (workdir / "serve.log").open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, "PAPI_DB": str(db)}, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"https://127.0.0.1:{port}"
        try:
            wait_healthy(url, [process], seconds=120)
            yield url
        finally:
            stop([process])


def test_https_with_hsts_and_every_cookie_secure(secured):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with urllib.request.urlopen(f"{secured}/", timeout=10, context=context) as response:
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        cookies = response.headers.get_all("Set-Cookie")
    assert cookies and all("Secure" in c for c in cookies), cookies
    assert any(c.startswith(f"{COOKIE}=") for c in cookies)
    plain = secured.replace("https://", "http://")
    with pytest.raises(OSError):  # the port speaks TLS only
        urllib.request.urlopen(f"{plain}/_stcore/health", timeout=10)
