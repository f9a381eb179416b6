"""Analyst accounts: salted hashes only, same message for any failure, repeated failures slowed down."""

from __future__ import annotations

import io
import sys
import tomllib

import pytest

from papi_analysis import auth
from papi_analysis.cli import main


def test_hashes_are_salted_and_verify():
    first, second = auth.hash_password("mật khẩu 123"), auth.hash_password("mật khẩu 123")
    assert first != second and first.startswith("scrypt$")
    assert auth.verify_password("mật khẩu 123", first) and auth.verify_password("mật khẩu 123", second)
    assert not auth.verify_password("mật khẩu 124", first)
    assert not auth.verify_password("x", "not-a-hash")


def test_wrong_name_and_wrong_password_say_the_same_thing():
    accounts = {"lan": auth.hash_password("dung-roi-1")}
    throttle = auth.Throttle()
    assert auth.sign_in(accounts, "lan", "sai", throttle, now=0).message == auth.FAILED_MESSAGE
    assert auth.sign_in(accounts, "khong-co", "sai", throttle, now=0).message == auth.FAILED_MESSAGE
    assert auth.sign_in(accounts, "lan", "dung-roi-1", throttle, now=0).ok


def test_repeated_failures_are_slowed_down():
    accounts = {"lan": auth.hash_password("dung-roi-1")}
    throttle = auth.Throttle()
    for _ in range(auth.FREE_ATTEMPTS):
        assert auth.sign_in(accounts, "lan", "sai", throttle, now=100).wait_seconds == 0
    blocked = auth.sign_in(accounts, "LAN", "dung-roi-1", throttle, now=100.5)  # even the right password waits
    assert not blocked.ok and blocked.wait_seconds > 0 and "thử lại sau" in blocked.message
    assert auth.sign_in(accounts, "lan", "sai", throttle, now=103).wait_seconds == 0  # 2 s later it may try
    assert throttle.wait_seconds("lan", now=103) == pytest.approx(4)  # and now waits 4 s
    assert auth.sign_in(accounts, "lan", "dung-roi-1", throttle, now=108).ok
    assert throttle.wait_seconds("lan", now=108) == 0


def test_add_analyst_writes_only_a_hash_and_keeps_other_settings(tmp_path, monkeypatch, capsys):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n', encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO("mat-khau-rat-dai\n"))
    assert main(["add-analyst", "lan", "--password-stdin", "--secrets", str(secrets)]) == 0
    text = secrets.read_text(encoding="utf-8")
    assert "mat-khau-rat-dai" not in text
    data = tomllib.loads(text)
    assert data["auth"]["redirect_uri"].endswith("oauth2callback")
    assert auth.verify_password("mat-khau-rat-dai", data["analysts"]["lan"])
    monkeypatch.setattr(sys, "stdin", io.StringIO("ngan\n"))
    assert main(["add-analyst", "lan", "--password-stdin", "--secrets", str(secrets)]) == 1
    assert "ít nhất 8 ký tự" in capsys.readouterr().err
