"""scripts/serve: N Streamlit workers on internal loopback ports behind Debian's HAProxy.

Why HAProxy (not nginx): Streamlit keeps a viewer's session state, uploaded files and media in the
process that served the page, so every request of one browser — the page, the websocket, an upload, a
download — must reach the same worker. HAProxy pins a browser with a cookie it inserts itself; nginx's
open-source build can only hash the client address, which sends a whole office behind one NAT to one
worker. HAProxy also checks each worker's /_stcore/health and proxies websockets in plain HTTP mode.

The workers share the DuckDB file through the store's locked write path (a process lock and a file lock)
and key their caches on the file's write stamp, so a write by any worker or the command line is seen by
every worker on its next run. The database is built once before the workers start.

If a worker or the balancer stops, everything is stopped and the command exits non-zero, so a service
manager (systemd, a container runtime) restarts the whole set; SIGTERM or Ctrl-C stop it cleanly.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from papi_analysis.store.database import Store  # noqa: E402

COOKIE = "papi_worker"
HAPROXY = """global
    maxconn {maxconn}

defaults
    mode http
    option forwardfor
    option redispatch
    retries 2
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 8h
    timeout http-request 15s
    timeout client-fin 10s

frontend dashboard
    bind {address}:{port}
    default_backend workers

backend workers
    balance leastconn
    cookie {cookie} insert indirect nocache httponly attr SameSite=Lax
    http-response set-header X-Papi-Worker %[srv_name]
    option httpchk GET /_stcore/health
    http-check expect status 200
    timeout check 5s
    default-server check inter 3s fall 3 rise 2
{servers}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def max_connections() -> int:
    """Connections HAProxy may hold (two descriptors each) within the process's file limit, at most 10,000;
    one open page holds one websocket."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return max(100, min(10_000, (hard if hard != resource.RLIM_INFINITY else 20_000) // 2 - 100))


def haproxy_config(address: str, port: int, worker_ports: list[int]) -> str:
    servers = "\n".join(f"    server w{i} 127.0.0.1:{p} cookie w{i}" for i, p in enumerate(worker_ports, 1))
    return HAPROXY.format(maxconn=max_connections(), address=address, port=port, cookie=COOKIE, servers=servers)


def wait_healthy(url: str, processes: list[subprocess.Popen], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError(f"a process stopped while starting ({url})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy")


def start_worker(port: int, extra: list[str]) -> subprocess.Popen:
    command = [sys.executable, "scripts/app_server.py", "--server.port", str(port)]  # streamlit run app.py
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", *extra]
    return subprocess.Popen(command, cwd=ROOT)


def haproxy() -> str:
    """Debian's haproxy, also for a user whose PATH has no /usr/sbin (as Debian gives non-root users)."""
    return shutil.which("haproxy") or "/usr/sbin/haproxy"


def start_balancer(config: str, folder: Path) -> subprocess.Popen:
    path = folder / "haproxy.cfg"
    path.write_text(config, encoding="utf-8")
    subprocess.run([haproxy(), "-c", "-q", "-f", str(path)], check=True)
    return subprocess.Popen([haproxy(), "-db", "-f", str(path)])


def stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + 10
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _stop_starting(*_args) -> None:
    raise SystemExit(1)  # unwinds through main's cleanup, which stops the workers started so far


def supervise(processes: list[subprocess.Popen]) -> int:
    """Wait until a process stops (then stop the others, exit 1) or a signal asks to stop (exit 0)."""
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    while not stopping:
        if any(p.poll() is not None for p in processes):
            print("serve: a worker or the balancer stopped; stopping everything.", file=sys.stderr)
            stop(processes)
            return 1
        time.sleep(0.5)
    stop(processes)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="scripts/serve", description="PAPI Dashboard: several workers behind HAProxy.")
    p.add_argument("--port", type=int, default=8501, help="the public port (default 8501)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: cores)")
    p.add_argument("--address", default="0.0.0.0", help="the address to listen on (default: all)")
    p.add_argument("streamlit", nargs="*", help="after --: options for every worker, e.g. --secrets.files F")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.workers < 1:
        raise SystemExit("--workers must be at least 1")
    signal.signal(signal.SIGTERM, _stop_starting)  # a stop while starting still stops what was started
    Store().ensure_built()  # once, before the workers: none of them waits on a first build
    ports = [free_port() for _ in range(args.workers)]
    processes = [start_worker(p, args.streamlit) for p in ports]
    with tempfile.TemporaryDirectory(prefix="papi-serve-") as folder:
        try:
            for port in ports:
                wait_healthy(f"http://127.0.0.1:{port}", processes)
            processes.append(start_balancer(haproxy_config(args.address, args.port, ports), Path(folder)))
            host = "127.0.0.1" if args.address in ("0.0.0.0", "::") else args.address
            wait_healthy(f"http://{host}:{args.port}", processes)
        except BaseException:
            stop(processes)
            raise
        print(f"PAPI Dashboard: http://{host}:{args.port} ({args.workers} workers behind HAProxy)", flush=True)
        return supervise(processes)


if __name__ == "__main__":
    sys.exit(main())
