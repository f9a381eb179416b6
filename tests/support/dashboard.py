"""The real dashboard for browser tests and benchmarks: `streamlit run app.py` on a free port against a
given database, and the launch settings of Debian's Chromium (Playwright never downloads a browser)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from serve import free_port, stop, wait_healthy  # noqa: E402  (one implementation, scripts/serve.py's)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@contextmanager
def running_dashboard(db: Path, secrets: Path | None = None, log: Path | None = None) -> Iterator[str]:
    """Start the app on its own port with PAPI_DB=db; yield its URL; stop it afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "scripts/app_server.py",  # streamlit run app.py, as scripts/dashboard and scripts/serve start it
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    if secrets:
        command += ["--secrets.files", str(secrets)]
    output = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "PAPI_DB": str(db)}, stdout=output, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, [process])
        yield url
    finally:
        stop([process])
        if log:
            output.close()
