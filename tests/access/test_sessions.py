"""Department reporter accounts in secrets.toml (add-reporter beside add-analyst), and the signed session cookie
that keeps a user signed in across a reload: signed, expiring, bound to the account as it is now, ended for good
at sign-out, handed to the browser only through a short-lived token (issue 21)."""

from __future__ import annotations

import io
import sqlite3
import stat
import sys
import tomllib
from contextlib import closing

import pytest

from papi_analysis.access import accounts, passwords, sessions
from papi_analysis.access.permissions import Account
from papi_analysis.access.sessions import Sessions
from papi_analysis.cli.main import main

PASSWORD = "mat-khau-rat-dai"
pytestmark = pytest.mark.slow  # scrypt at OWASP parameters: a few hundred ms per password


def add(args: list[str], secrets, monkeypatch) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    return main([*args, "--password-stdin", "--secrets", str(secrets)])


def test_add_reporter_names_the_unit_as_the_plan_spells_it(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / "secrets.toml"
    assert add(["add-reporter", "hoa", "--unit", "so noi vu"], secrets, monkeypatch) == 0
    assert "chỉ ghi được tình trạng các nhiệm vụ Sở Nội vụ chủ trì" in capsys.readouterr().out
    data = tomllib.loads(secrets.read_text(encoding="utf-8"))
    assert data["reporters"]["hoa"]["unit"] == "Sở Nội vụ" and PASSWORD not in secrets.read_text(encoding="utf-8")
    assert passwords.verify_password(PASSWORD, data["reporters"]["hoa"]["hash"])
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert accounts.account_named(data, "hoa") == Account.reporter("hoa", "Sở Nội vụ")
    assert set(accounts.password_hashes(data)) == {"hoa"}


@pytest.mark.parametrize("unit", ["Sở Không Có", "Các sở, ban, ngành tỉnh"])
def test_add_reporter_refuses_a_unit_no_task_names_or_a_shared_body(tmp_path, monkeypatch, capsys, unit):
    secrets = tmp_path / "secrets.toml"
    assert add(["add-reporter", "hoa", "--unit", unit], secrets, monkeypatch) == 2
    assert f"Không có đơn vị '{unit}' trong các kế hoạch" in capsys.readouterr().err and not secrets.exists()


def test_one_name_is_one_account(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    assert add(["add-analyst", "hoa"], secrets, monkeypatch) == 0
    assert add(["add-reporter", "hoa", "--unit", "Sở Y tế"], secrets, monkeypatch) == 0
    data = tomllib.loads(secrets.read_text(encoding="utf-8"))
    assert "hoa" not in data["analysts"] and accounts.account_named(data, "hoa").unit == "Sở Y tế"
    assert add(["add-analyst", "hoa"], secrets, monkeypatch) == 0
    data = tomllib.loads(secrets.read_text(encoding="utf-8"))
    assert "hoa" not in data["reporters"] and accounts.account_named(data, "hoa") == Account.analyst("hoa")


# --- the session cookie ---------------------------------------------------------------------------------
@pytest.fixture
def secrets_data() -> dict:
    return {
        "analysts": {"lan": passwords.hash_password(PASSWORD)},
        "reporters": {"hoa": {"hash": passwords.hash_password(PASSWORD), "unit": "Sở Nội vụ"}},
    }


@pytest.fixture
def signed(tmp_path) -> Sessions:
    return Sessions(tmp_path / "papi.duckdb")


def cookie_of(signed: Sessions, secrets_data: dict, name: str) -> str:
    who = accounts.account_named(secrets_data, name)
    return signed.issue(who, accounts.password_hashes(secrets_data)[name])


def test_a_cookie_signs_its_account_back_in(signed, secrets_data):
    assert signed.account(cookie_of(signed, secrets_data, "lan"), secrets_data) == Account.analyst("lan")
    assert signed.account(cookie_of(signed, secrets_data, "hoa"), secrets_data) == Account.reporter("hoa", "Sở Nội vụ")
    assert stat.S_IMODE(signed.key_path.stat().st_mode) == 0o600
    assert Sessions(signed.key_path.with_name("papi.duckdb")).account(
        cookie_of(signed, secrets_data, "lan"), secrets_data
    )  # another worker beside the same database reads it with the same key


def test_a_forged_or_foreign_cookie_signs_nobody_in(signed, secrets_data, tmp_path):
    cookie = cookie_of(signed, secrets_data, "lan")
    payload, stamp, signature = cookie.rsplit(".", 2)
    assert signed.account(f"{payload}.{stamp}.{signature[:-2]}xx", secrets_data) is None
    (tmp_path / "khac").mkdir()
    assert Sessions(tmp_path / "khac" / "papi.duckdb").account(cookie, secrets_data) is None  # another key
    assert signed.account("", secrets_data) is None and signed.account("x" * 5000, secrets_data) is None


def test_a_cookie_expires(signed, secrets_data, monkeypatch):
    cookie = cookie_of(signed, secrets_data, "lan")
    monkeypatch.setattr(sessions, "MAX_AGE_SECONDS", -1)
    assert signed.account(cookie, secrets_data) is None


def test_a_changed_account_ends_its_sessions(signed, secrets_data):
    lan, hoa = cookie_of(signed, secrets_data, "lan"), cookie_of(signed, secrets_data, "hoa")
    secrets_data["analysts"]["lan"] = passwords.hash_password("mat-khau-moi-123")  # reset
    secrets_data["reporters"]["hoa"]["unit"] = "Sở Y tế"  # moved to another unit
    assert signed.account(lan, secrets_data) is None and signed.account(hoa, secrets_data) is None
    del secrets_data["analysts"]["lan"]
    assert signed.account(cookie_of(signed, secrets_data, "hoa"), secrets_data).unit == "Sở Y tế"


def test_signing_out_ends_the_session_for_good(signed, secrets_data):
    first, second = cookie_of(signed, secrets_data, "lan"), cookie_of(signed, secrets_data, "lan")
    signed.end(first)
    assert signed.account(first, secrets_data) is None
    assert signed.account(second, secrets_data) == Account.analyst("lan")  # another browser stays signed in
    assert stat.S_IMODE(signed.ended_path.stat().st_mode) == 0o600
    signed.end(second, now=10**12)  # long after: the entries that expired meanwhile are dropped from the list
    with closing(sqlite3.connect(signed.ended_path)) as con:
        assert con.execute("SELECT count(*) FROM ended").fetchone()[0] == 1


def test_the_browser_gets_the_cookie_only_through_a_fresh_hand_off(signed, secrets_data, monkeypatch):
    cookie = cookie_of(signed, secrets_data, "hoa")
    token = signed.handoff(cookie)
    assert token != cookie and signed.from_handoff(token) == cookie
    assert signed.from_handoff(cookie) is None  # the cookie itself is no hand-off token
    assert signed.from_handoff(token[:-3] + "abc") is None
    monkeypatch.setattr(sessions, "HANDOFF_SECONDS", -1)
    assert signed.from_handoff(token) is None
