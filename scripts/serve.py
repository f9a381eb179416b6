"""scripts/serve: N Streamlit workers on internal loopback ports behind Debian's HAProxy.

Why HAProxy (not nginx): Streamlit keeps a viewer's session state, uploaded files and media in the
process that served the page, so every request of one browser — the page, the websocket, an upload, a
download — must reach the same worker. HAProxy pins a browser with a cookie it inserts itself; nginx's
open-source build can only hash the client address, which sends a whole office behind one NAT to one
worker. HAProxy also checks each worker's /_stcore/health and proxies websockets in plain HTTP mode.

The workers share the DuckDB file through the store's locked write path (a process lock and a file lock)
and key their caches on the file's write stamp, so a write by any worker or the command line is seen by
every worker on its next run. The database is built once before the workers start.

Safe by default (issue 20): it listens on this machine only (127.0.0.1) unless --address says otherwise. With
--tls-cert and --tls-key HAProxy serves HTTPS itself, with HSTS and every cookie marked Secure; without them a
browser on another machine gets plain HTTP, over which the dashboard refuses to sign in (access/transport.py).
HAProxy replaces any X-Forwarded-For a browser sends with the address it sees, which the sign-in throttle counts.

A worker that stops is started again on its port (at most MAX_RESTARTS times in RESTART_WINDOW seconds); meanwhile
HAProxy's health check takes it out and its browsers start new sessions on the other workers. If the balancer
stops, or a worker keeps stopping, everything is stopped and the command exits non-zero, for a service manager
(systemd, a container runtime) to restart the whole set; SIGTERM or Ctrl-C stop it cleanly.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from papi_analysis.store.database import Store  # noqa: E402

COOKIE = "papi_worker"
LOOPBACK = "127.0.0.1"
MAX_RESTARTS, RESTART_WINDOW = 5, 300.0
HSTS = "max-age=31536000"
HAPROXY = """global
    maxconn {maxconn}

defaults
    mode http
    option forwardfor
    option redispatch
    retries 2
    retry-on conn-failure empty-response response-timeout
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 8h
    timeout http-request 15s
    timeout client-fin 10s

frontend dashboard
    bind {address}:{port}{ssl}
    http-request del-header X-Forwarded-For
    http-request set-header X-Forwarded-Proto {scheme}
{frontend_tls}    default_backend workers

backend workers
    balance leastconn
    cookie {cookie} insert indirect nocache httponly{secure} attr SameSite=Lax
    http-response set-header X-Papi-Worker %[srv_name]
{backend_tls}    option httpchk GET /_stcore/health
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


def haproxy_config(address: str, port: int, worker_ports: list[int], pem: Path | None = None) -> str:
    """The balancer's configuration; with `pem` (certificate and key) it serves HTTPS, with HSTS and Secure
    cookies (its own and every cookie a worker sets)."""
    servers = "\n".join(f"    server w{i} 127.0.0.1:{p} cookie w{i}" for i, p in enumerate(worker_ports, 1))
    tls = {
        "ssl": f" ssl crt {pem}" if pem else "",
        "scheme": "https" if pem else "http",
        "frontend_tls": f'    http-response set-header Strict-Transport-Security "{HSTS}"\n' if pem else "",
        "secure": " secure" if pem else "",
        "backend_tls": "    http-response replace-header Set-Cookie '^((?:(?!;\\s*[Ss]ecure).)*)$' '\\1; Secure'\n"
        if pem
        else "",
    }
    bound = f"[{address}]" if ":" in address else address
    return HAPROXY.format(maxconn=max_connections(), address=bound, port=port, cookie=COOKIE, servers=servers, **tls)


def tls_pem(cert: Path, key: Path, folder: Path) -> Path:
    """The certificate chain and its key in one private PEM file, as HAProxy loads them."""
    pem = folder / "dashboard.pem"
    with os.fdopen(os.open(pem, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        out.write(cert.read_text(encoding="utf-8").rstrip("\n") + "\n" + key.read_text(encoding="utf-8"))
    return pem


# Our own health check of our own balancer on this machine: its certificate may be for the public name only.
_ANY_CERTIFICATE = ssl.create_default_context()
_ANY_CERTIFICATE.check_hostname = False
_ANY_CERTIFICATE.verify_mode = ssl.CERT_NONE


def wait_healthy(url: str, processes: list[subprocess.Popen], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError(f"a process stopped while starting ({url})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2, context=_ANY_CERTIFICATE) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not become healthy")


@dataclass(frozen=True)
class Launch:
    """How every worker is started: `streamlit run app.py` in app_dir (this project by default; the benchmarks
    serve an empty app the same way), with the options given after --."""

    app_dir: Path
    extra: tuple[str, ...]

    def start(self, port: int) -> subprocess.Popen:
        command = [sys.executable, str(ROOT / "scripts" / "app_server.py"), "--server.port", str(port)]
        command += ["--server.address", "127.0.0.1", "--server.headless", "true", *self.extra]
        return subprocess.Popen(command, cwd=self.app_dir)


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


@dataclass
class Worker:
    name: str
    port: int
    process: subprocess.Popen
    restarts: list[float] = field(default_factory=list)

    def say(self, event: str) -> None:
        print(f"serve: worker {self.name} {event} (pid {self.process.pid}, port {self.port})", flush=True)


def restart(worker: Worker, launch: Launch) -> bool:
    """Start a stopped worker again on its port; False when it stopped MAX_RESTARTS times within RESTART_WINDOW."""
    now = time.monotonic()
    worker.restarts = [t for t in worker.restarts if now - t < RESTART_WINDOW]
    code = worker.process.returncode
    if len(worker.restarts) >= MAX_RESTARTS:
        print(f"serve: worker {worker.name} stopped {MAX_RESTARTS + 1} times in {RESTART_WINDOW:g} s.", file=sys.stderr)
        return False
    print(f"serve: worker {worker.name} stopped (exit {code}); its browsers go to the other workers.", file=sys.stderr)
    worker.process = launch.start(worker.port)
    worker.restarts.append(now)
    worker.say("restarted")
    return True


def supervise(workers: list[Worker], balancer: subprocess.Popen, launch: Launch) -> int:
    """Restart a worker that stops; stop everything (exit 1) when the balancer stops or a worker keeps stopping,
    or when a signal asks to stop (exit 0)."""
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.append(True))
    while not stopping:
        failed = balancer.poll() is not None
        for worker in workers:
            if not failed and worker.process.poll() is not None:
                failed = not restart(worker, launch)
        if failed:
            print("serve: stopping everything.", file=sys.stderr)
            stop([balancer, *(w.process for w in workers)])
            return 1
        time.sleep(0.5)
    stop([balancer, *(w.process for w in workers)])
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="scripts/serve", description="PAPI Dashboard: several workers behind HAProxy.")
    p.add_argument("--port", type=int, default=8501, help="the public port (default 8501)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: cores)")
    p.add_argument(
        "--address", default=LOOPBACK, help="the address to listen on (default: this machine only; 0.0.0.0: all)"
    )
    p.add_argument("--tls-cert", type=Path, help="HTTPS: the certificate (PEM, with its chain)")
    p.add_argument("--tls-key", type=Path, help="HTTPS: the certificate's private key (PEM)")
    p.add_argument("--app-dir", type=Path, default=ROOT, help="the folder of app.py (default: this project)")
    p.add_argument("streamlit", nargs="*", help="after --: options for every worker, e.g. --secrets.files F")
    return p


def check_arguments(args: argparse.Namespace) -> None:
    if args.workers < 1:
        raise SystemExit("--workers must be at least 1")
    if (args.tls_cert is None) != (args.tls_key is None):
        raise SystemExit("--tls-cert and --tls-key go together")
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            raise SystemExit(f"{path}: no such file")
    if args.tls_cert is None and args.address not in (LOOPBACK, "localhost", "::1"):
        print(
            f"serve: listening on {args.address} over plain HTTP: sign-in from another machine is refused (the "
            "password would cross the network in clear); give --tls-cert and --tls-key (docs/DEPLOY.md).",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    check_arguments(args)
    signal.signal(signal.SIGTERM, _stop_starting)  # a stop while starting still stops what was started
    Store().ensure_built()  # once, before the workers: none of them waits on a first build
    ports = [free_port() for _ in range(args.workers)]
    launch = Launch(args.app_dir.resolve(), tuple(args.streamlit))
    workers = [Worker(f"w{i}", p, launch.start(p)) for i, p in enumerate(ports, 1)]
    processes = [w.process for w in workers]
    for worker in workers:
        worker.say("started")
    balancer = None
    with tempfile.TemporaryDirectory(prefix="papi-serve-") as folder:
        try:
            for port in ports:
                wait_healthy(f"http://127.0.0.1:{port}", processes)
            pem = tls_pem(args.tls_cert, args.tls_key, Path(folder)) if args.tls_cert else None
            balancer = start_balancer(haproxy_config(args.address, args.port, ports, pem), Path(folder))
            host = "127.0.0.1" if args.address in ("0.0.0.0", "::") else args.address
            url = f"{'https' if pem else 'http'}://{f'[{host}]' if ':' in host else host}:{args.port}"
            wait_healthy(url, [*processes, balancer])
        except BaseException:
            stop(processes + ([balancer] if balancer else []))
            raise
        print(f"PAPI Dashboard: {url} ({args.workers} workers behind HAProxy)", flush=True)
        return supervise(workers, balancer, launch)


if __name__ == "__main__":
    sys.exit(main())
