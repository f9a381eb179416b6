"""Real faults of the machine for the store's tests (issue 20): a full disk and a read-only folder.

Where the machine allows a private mount namespace (`unshare --user --map-root-user --mount`: root, or any user
where unprivileged user namespaces are on, as on Debian 12), the scenario runs with a small tmpfs of its own
mounted over a folder: it fills it to the last block, or remounts it read-only, then undoes that — nothing is
mounted anywhere else, and the mount vanishes with the process. Elsewhere the same scenario runs with
RLIMIT_FSIZE (a file may not grow: EFBIG) for the full disk and a folder without write permission (not for
root) for the read-only one; `how` says which was used.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).with_name("fault_scenario.py")
UNSHARE = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
MOUNT_THEN_RUN = 'mount -t tmpfs -o "size=$1" tmpfs "$2" && shift 2 && exec "$@"'


@functools.cache
def mount_namespace() -> bool:
    """Whether this machine lets a process mount a tmpfs of its own."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run([*UNSHARE, "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


def how(fault: str) -> str:
    if mount_namespace():
        return "tmpfs"
    if fault == "full":
        return "rlimit-fsize"
    return "chmod" if os.geteuid() != 0 else "none"


def run(fault: str, folder: Path, source_db: Path, size_mb: int) -> dict:
    """Run tests/support/fault_scenario.py with `fault` in `folder`; its JSON report."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests' / 'support'}"}
    mechanism = how(fault)
    command = [sys.executable, str(SCENARIO), fault, mechanism, str(folder), str(source_db)]
    if mechanism == "tmpfs":
        command = [*UNSHARE, "sh", "-c", MOUNT_THEN_RUN, "sh", f"{size_mb}m", str(folder), *command]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"how": mechanism}
