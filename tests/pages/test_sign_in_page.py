"""Signing in on the account page upgrades an old-parameter hash in the secrets file Streamlit reads."""

from __future__ import annotations

import stat
import tomllib

import pytest
from apptest import open_page
from old_hashes import old_hash
from streamlit import config

from papi_analysis.access import passwords


@pytest.fixture
def secrets_toml(tmp_path):
    path = tmp_path / "secrets.toml"
    before = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    yield path
    config.set_option("secrets.files", before)


def test_sign_in_with_an_old_hash_rewrites_it_with_todays_parameters(secrets_toml):
    stale = old_hash("mat-khau-cu-1")
    secrets_toml.write_text(f'[analysts]\nthu = "{stale}"\n', encoding="utf-8")
    at = open_page("pages/account.py", secrets={"analysts": {"thu": stale}})
    at.text_input(key="account_name").set_value("thu")
    at.text_input(key="account_password").set_value("mat-khau-cu-1")
    at.button[0].click().run()
    assert not at.exception and at.session_state["_analyst"] == "thu"
    stored = tomllib.loads(secrets_toml.read_text(encoding="utf-8"))["analysts"]["thu"]
    assert stored != stale and passwords.is_current(stored) and passwords.verify_password("mat-khau-cu-1", stored)
    assert stat.S_IMODE(secrets_toml.stat().st_mode) == 0o600


def test_signing_in_hands_the_browser_a_short_lived_token_never_the_cookie(secrets_toml, fresh_db_env):
    """Issue 21: the run after a sign-in posts a hand-off token to the server's endpoint, which sets the HttpOnly
    cookie; the page's code never holds the cookie itself, and the token is posted once."""
    from papi_analysis.access.sessions import Sessions
    from papi_analysis.paths import db_path

    secret = passwords.hash_password("mat-khau-moi-1")
    at = open_page("pages/account.py", secrets={"analysts": {"thu": secret}})
    at.text_input(key="account_name").set_value("thu")
    at.text_input(key="account_password").set_value("mat-khau-moi-1")
    at.button[0].click().run()
    posts = [h.proto.body for h in at.sidebar.get("html") if "/api/papi/phien" in h.proto.body]
    cookie = at.session_state["_session_cookie"]
    assert len(posts) == 1 and cookie not in posts[0]
    token = posts[0].split("body: ")[1].split(",")[0].strip('"')
    assert Sessions(db_path()).from_handoff(token) == cookie
    at.run()
    assert not [h for h in at.sidebar.get("html") if "/api/papi/phien" in h.proto.body]


class _Browser:
    """What st.context says of a browser on another machine that opened the dashboard over plain HTTP."""

    url = "http://10.0.0.5:8501/tai-khoan"


def test_sign_in_over_plain_http_from_another_machine_is_refused(monkeypatch):
    import streamlit

    hashed = passwords.hash_password("mat-khau-dung-1")
    at = open_page("pages/account.py", secrets={"analysts": {"lan": hashed}})
    monkeypatch.setattr(streamlit, "context", _Browser())
    at.text_input(key="account_name").set_value("lan")
    at.text_input(key="account_password").set_value("mat-khau-dung-1")
    at.button[0].click().run()
    assert not at.exception and "_analyst" not in at.session_state
    assert any("Không đăng nhập qua kết nối không mã hóa (http://)" in e.value for e in at.error)
