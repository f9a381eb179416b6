"""Analyst accounts: salted hashes at today's parameters (old ones accepted and upgraded), the same message
for any failure, a throttle shared by processes that counts an attempt before checking it and stays
bounded, and a secrets file that is never readable by others."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from old_hashes import old_hash

from papi_analysis.access import accounts, passwords, transport
from papi_analysis.access.throttle import (
    FREE_ATTEMPTS,
    FREE_ATTEMPTS_PER_CLIENT,
    MAX_DELAY_SECONDS,
    Throttle,
    client_address,
)
from papi_analysis.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def throttle(tmp_path) -> Throttle:
    return Throttle(tmp_path / "papi.duckdb.signin.sqlite")


@pytest.mark.slow
def test_hashes_are_salted_at_owasp_parameters_and_verify():
    first, second = passwords.hash_password("mật khẩu 123"), passwords.hash_password("mật khẩu 123")
    assert first != second and first.startswith(f"scrypt${2**17}$8$1$")
    assert passwords.verify_password("mật khẩu 123", first) and passwords.verify_password("mật khẩu 123", second)
    assert not passwords.verify_password("mật khẩu 124", first)
    assert not passwords.verify_password("x", "not-a-hash")
    assert not passwords.verify_password("x", f"scrypt${2**24}$8$1$AAAA$AAAA")  # 16 GiB asked: refused, not computed


@pytest.mark.slow
def test_wrong_name_and_wrong_password_say_the_same_thing(throttle):
    hashes = {"lan": passwords.hash_password("dung-roi-1")}
    assert passwords.sign_in(hashes, "lan", "sai", throttle, now=0).message == passwords.FAILED_MESSAGE
    assert passwords.sign_in(hashes, "khong-co", "sai", throttle, now=0).message == passwords.FAILED_MESSAGE
    assert passwords.sign_in(hashes, "lan", "dung-roi-1", throttle, now=0).ok


@pytest.mark.slow
def test_repeated_failures_are_slowed_down(throttle):
    hashes = {"lan": passwords.hash_password("dung-roi-1")}
    for _ in range(FREE_ATTEMPTS):
        assert passwords.sign_in(hashes, "lan", "sai", throttle, now=100).wait_seconds == 0
    blocked = passwords.sign_in(hashes, "LAN", "dung-roi-1", throttle, now=100.5)  # even the right password waits
    assert not blocked.ok and blocked.wait_seconds > 0 and "thử lại sau" in blocked.message
    assert passwords.sign_in(hashes, "lan", "sai", throttle, now=103).wait_seconds == 0  # 2 s later it may try
    assert throttle.wait_seconds("lan", now=103) == pytest.approx(4)  # and now waits 4 s
    assert passwords.sign_in(hashes, "lan", "dung-roi-1", throttle, now=108).ok
    assert throttle.wait_seconds("lan", now=108) == 0


@pytest.mark.slow
def test_sixteen_simultaneous_attempts_are_not_all_checked(throttle, monkeypatch):
    checked, start = [], threading.Barrier(16)
    verify = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda p, h: checked.append(p) or verify(p, h))
    hashes = {"lan": passwords.hash_password("dung-roi-1")}
    results = []

    def attempt(i: int) -> None:
        start.wait()
        results.append(passwords.sign_in(hashes, "lan", f"sai-{i}", throttle))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == FREE_ATTEMPTS and not any(r.ok for r in results)
    assert sum(r.wait_seconds > 0 for r in results) == 16 - FREE_ATTEMPTS


@pytest.mark.slow
def test_the_throttle_is_shared_by_processes(throttle):
    """Six processes (as six dashboard workers would) try one name at once: only FREE_ATTEMPTS get through."""
    script = (
        "import sys, time; from papi_analysis.access.throttle import Throttle\n"
        "t = Throttle(sys.argv[1]); time.sleep(max(0, float(sys.argv[2]) - time.time()))\n"
        "print(t.reserve('lan'))"
    )
    start = f"{__import__('time').time() + 1.5}"
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(throttle.path), start], cwd=ROOT, stdout=subprocess.PIPE)
        for _ in range(6)
    ]
    waits = [float(r.communicate(timeout=60)[0]) for r in runs]
    assert sum(w == 0 for w in waits) == FREE_ATTEMPTS
    assert stat.S_IMODE(throttle.path.stat().st_mode) == 0o600


def test_free_attempts_never_wait_whatever_the_order_of_their_clocks(throttle):
    """Under contention an attempt may read the clock before an earlier one writes its own, later time."""
    assert throttle.reserve("lan", now=101) == 0
    assert throttle.reserve("lan", now=100) == 0
    assert throttle.reserve("lan", now=100.5) == 0
    assert throttle.reserve("lan", now=100.5) == pytest.approx(2)  # the fourth waits 2 s after the third


def test_the_failure_table_is_bounded(tmp_path):
    small = Throttle(tmp_path / "t.sqlite", max_names=50)
    for i in range(200):
        small.reserve(f"ten-{i}", now=1000 + i)
    assert small.names() == 50
    assert small.wait_seconds("ten-199", now=1200) == 0 and small.reserve("ten-199", now=1200) == 0
    small.reserve("x" * 100_000, now=1300)  # a huge name is counted by its first characters
    assert small.names() == 50
    small.reserve("moi", now=1000 + 200 + 24 * 3600 + 1)  # a day later the idle names are forgotten
    assert small.names() == 2


@pytest.mark.slow
def test_an_old_hash_is_accepted_and_upgraded_at_sign_in(tmp_path, throttle):
    secrets = tmp_path / "secrets.toml"
    stale = old_hash("mat-khau-cu-1")
    secrets.write_text(f'[auth]\nx = 1\n[analysts]\nlan = "{stale}"\n', encoding="utf-8")
    result = passwords.sign_in({"lan": stale}, "lan", "mat-khau-cu-1", throttle)
    assert result.ok and result.stale_hash == stale
    assert accounts.upgrade_hash(secrets, "lan", "mat-khau-cu-1", result.stale_hash)
    data = tomllib.loads(secrets.read_text(encoding="utf-8"))
    assert data["auth"] == {"x": 1} and passwords.is_current(data["analysts"]["lan"])
    assert passwords.verify_password("mat-khau-cu-1", data["analysts"]["lan"])
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert not accounts.upgrade_hash(secrets, "lan", "mat-khau-cu-1", stale)  # already done: left alone
    assert passwords.sign_in(data["analysts"], "lan", "mat-khau-cu-1", throttle).stale_hash is None


@pytest.mark.slow
def test_add_analyst_writes_only_a_hash_privately_and_keeps_other_settings(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n', encoding="utf-8")
    secrets.chmod(0o644)
    modes = []
    real_replace = os.replace
    monkeypatch.setattr(
        os, "replace", lambda a, b: modes.append(stat.S_IMODE(os.stat(a).st_mode)) or real_replace(a, b)
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-rat-dai\r\n"))  # typed on Windows: CRLF
    assert main(["add-analyst", "lan", "--password-stdin", "--secrets", str(secrets)]) == 0
    assert modes == [0o600]  # the new content was private before it took the file's name
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    text = secrets.read_text(encoding="utf-8")
    assert "mat-khau-rat-dai" not in text
    data = tomllib.loads(text)
    assert data["auth"]["redirect_uri"].endswith("oauth2callback")
    assert passwords.verify_password("mat-khau-rat-dai", data["analysts"]["lan"])  # without the \r
    assert [p.name for p in secrets.parent.iterdir() if p.suffix == ".tmp"] == []
    monkeypatch.setattr(sys, "stdin", io.StringIO("ngan\n"))
    assert main(["add-analyst", "lan", "--password-stdin", "--secrets", str(secrets)]) == 1
    assert "ít nhất 8 ký tự" in capsys.readouterr().err


@pytest.mark.slow
def test_add_analyst_creates_a_private_folder(tmp_path, monkeypatch):
    secrets = tmp_path / "moi" / "secrets.toml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-rat-dai\n"))
    assert main(["add-analyst", "lan", "--password-stdin", "--secrets", str(secrets)]) == 0
    assert stat.S_IMODE(secrets.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600


# --- issue 20: a lockout no stranger can hold --------------------------------------------------------------
OWNER, STRANGER = "203.0.113.7", "198.51.100.66"


@pytest.fixture
def cheap_checks(monkeypatch) -> list[str]:
    """Password checks without scrypt (a day of sign-ins would take minutes); the checked passwords."""
    checked: list[str] = []
    monkeypatch.setattr(passwords, "verify_password", lambda p, h: checked.append(p) or p == "dung-roi-1")
    return checked


@pytest.mark.slow
def test_a_strangers_day_of_wrong_passwords_does_not_keep_the_owner_out(throttle, cheap_checks):
    """The issue's day: a stranger tries 'lan' again the moment each wait ends (297 wrong passwords checked in
    24 hours) while the owner signs in every 10 minutes from the office: all 144 get in (0 of 144 did)."""
    hashes, owner, stranger_next = {"lan": "h"}, [j * 600.0 + 7 for j in range(144)], 0.0
    owner_in = stranger_checked = 0
    while owner or stranger_next < 24 * 3600:
        if owner and owner[0] <= stranger_next:
            owner_in += passwords.sign_in(hashes, "lan", "dung-roi-1", throttle, now=owner.pop(0), client=OWNER).ok
            continue
        result = passwords.sign_in(hashes, "lan", "sai", throttle, now=stranger_next, client=STRANGER)
        assert not result.ok
        stranger_next += result.wait_seconds  # 0 after a checked failure: it tries again at once, and waits
        stranger_checked += result.wait_seconds == 0
    assert owner_in == 144 and 290 <= stranger_checked <= 300


def test_back_off_doubles_to_a_ceiling_for_the_address_that_fails(throttle):
    waits = []
    now = 0.0
    for _ in range(20):
        waits.append(throttle.wait_seconds("lan", now=now, client=STRANGER))
        now += waits[-1]
        assert throttle.reserve("lan", now=now, client=STRANGER) == 0
    assert waits[: FREE_ATTEMPTS + 4] == [0, 0, 0, 2, 4, 8, 16] and max(waits) == MAX_DELAY_SECONDS
    assert throttle.wait_seconds("lan", now=now, client=OWNER) == 0


def test_random_names_from_one_address_are_slowed_so_scrypt_work_is_bounded(throttle, cheap_checks):
    for i in range(40):
        passwords.sign_in({}, f"ten-ngau-nhien-{i}", "x", throttle, now=1000, client=STRANGER)
    assert len(cheap_checks) == FREE_ATTEMPTS_PER_CLIENT  # the rest waited, unchecked
    assert throttle.wait_seconds("ten-moi", now=1001, client=STRANGER) == pytest.approx(1)
    assert passwords.sign_in({"lan": "h"}, "lan", "dung-roi-1", throttle, now=1004, client=OWNER).ok


def test_the_client_address_is_the_peer_or_what_our_proxy_forwarded():
    assert client_address("198.51.100.66", ["6.6.6.6"]) == "198.51.100.66"  # a direct peer: no header is believed
    assert client_address(None, ["6.6.6.6, 203.0.113.7"]) == OWNER  # behind HAProxy: the address it added last
    assert client_address(None, ["6.6.6.6", "203.0.113.7"]) == OWNER
    assert client_address(None, []) == client_address(None, ["không phải địa chỉ"]) == "loopback"
    assert (
        client_address("2001:db8:1:2:3:4:5:6") == client_address(None, ["2001:db8:1:2:ffff::1"]) == "2001:db8:1:2::/64"
    )
    assert client_address("::ffff:203.0.113.7") == OWNER


@pytest.mark.slow
def test_the_owner_gets_in_after_unlock_or_add_analyst(throttle, cheap_checks, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PAPI_DB", str(throttle.path.parent / "papi.duckdb"))
    for _ in range(12):  # the owner's own typos, at the owner's own address
        passwords.sign_in({"lan": "h"}, "lan", "sai", throttle, now=time.time(), client=OWNER)
    assert passwords.sign_in({"lan": "h"}, "lan", "dung-roi-1", throttle, client=OWNER).wait_seconds > 0
    assert main(["unlock", "lan"]) == 0 and "Đã mở khóa đăng nhập của 'lan'" in capsys.readouterr().out
    assert passwords.sign_in({"lan": "h"}, "lan", "dung-roi-1", throttle, client=OWNER).ok
    for _ in range(4):
        passwords.sign_in({"lan": "h"}, "lan", "sai", throttle, client=OWNER)
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-moi-dai\n"))
    secrets = tmp_path / "secrets.toml"
    assert main(["add-analyst", "lan", "--password-stdin", "--secrets", str(secrets)]) == 0
    assert "Đã mở khóa đăng nhập" in capsys.readouterr().out
    assert throttle.wait_seconds("lan", client=OWNER) == 0


def test_a_throttle_file_broken_by_a_crash_is_started_afresh(throttle):
    """The counts are written without fsync: a crash of the machine may break the file; sign-in goes on."""
    throttle.reserve("lan", now=1.0, client=OWNER)
    throttle.path.write_bytes("\x00 không phải SQLite ".encode() * 500)
    assert throttle.reserve("lan", now=2.0, client=OWNER) == 0 and throttle.names() == 1
    assert stat.S_IMODE(throttle.path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://10.0.0.5:8501/tai-khoan", True),
        ("http://papi.soctrang.gov.vn/", True),
        ("HTTP://[2001:db8::1]:8501/", True),
        ("https://papi.soctrang.gov.vn/tai-khoan", False),
        ("http://localhost:8501/", False),
        ("http://127.0.0.1:8501/", False),
        ("http://[::1]:8501/", False),
        (None, False),
    ],
)
def test_sign_in_over_plain_http_from_another_machine_is_refused(url, refused):
    assert transport.plain_http_elsewhere(url) is refused
