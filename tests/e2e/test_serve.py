"""scripts/serve: two workers behind HAProxy. A browser stays on one worker (its session, its uploads and
downloads live there); a write through the command line is seen by every worker on its next run; a
signed-in analyst uploads and downloads through the balancer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
            yield {"url": url, "db": db}
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
