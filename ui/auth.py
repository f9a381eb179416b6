"""Who is signed in. Viewing needs no account; analysts sign in with a name and password checked
against salted hashes in secrets.toml, or through Streamlit's OIDC (st.login) when [auth] is set."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from papi_analysis.access import accounts, passwords, transport
from papi_analysis.access.throttle import Throttle, client_address
from papi_analysis.paths import signin_path

_LOG = logging.getLogger(__name__)


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets[name]) if name in st.secrets else {}
    except Exception:  # no secrets.toml at all: nobody can sign in, everyone can view
        return {}


def oidc_configured() -> bool:
    return bool(_secrets_section("auth"))


def analyst_hashes() -> dict[str, str]:
    """Analyst name -> password hash."""
    return {k: str(v) for k, v in _secrets_section(passwords.SECTION).items()}


def analyst() -> str | None:
    """The signed-in analyst's name, or None for a viewer."""
    if not oidc_configured():
        return st.session_state.get("_analyst")
    if not st.user.get("is_logged_in", False):
        return None
    allowed = _secrets_section("auth").get("analyst_emails")
    email = str(st.user.get("email", ""))
    if allowed and email not in allowed:
        return None
    return email or str(st.user.get("name", "OIDC"))


def account_title() -> str:
    """The account page's one name, in the menu and as its title: what it offers now."""
    return "Tài khoản" if analyst() else "Đăng nhập"


def signed_in_elsewhere() -> bool:
    """Signed in through OIDC, but not as an analyst."""
    return oidc_configured() and bool(st.user.get("is_logged_in", False)) and analyst() is None


def _secrets_files() -> list[Path]:
    """The secrets.toml files Streamlit reads (the file that holds an account is rewritten on upgrade)."""
    return [Path(p) for p in st.get_option("secrets.files") if str(p).endswith(".toml") and Path(p).is_file()]


def _upgrade(name: str, password: str, old_hash: str) -> None:
    """Store a hash with today's parameters; a read-only secrets file only leaves the old one in place."""
    for path in _secrets_files():
        try:
            if accounts.upgrade_hash(path, name, password, old_hash):
                return
        except OSError as error:
            _LOG.warning("Could not upgrade the password hash in %s: %s", path, error)


def _client() -> str:
    """The address a sign-in comes from, as the throttle counts it (behind scripts/serve: HAProxy's header)."""
    return client_address(st.context.ip_address, st.context.headers.get_all("X-Forwarded-For"))


def sign_in(name: str, password: str) -> passwords.SignIn:
    if transport.plain_http_elsewhere(st.context.url):  # the password would cross the network in clear
        return passwords.SignIn(False, transport.PLAIN_HTTP_REFUSED)
    result = passwords.sign_in(analyst_hashes(), name, password, Throttle(signin_path()), client=_client())
    if result.ok:
        st.session_state["_analyst"] = name.strip()
        if result.stale_hash:
            _upgrade(name.strip(), password, result.stale_hash)
    return result


def sign_out() -> None:
    st.session_state.pop("_analyst", None)


def require_analyst() -> str | None:
    """The analyst's name; for anyone else, say the page is for analysts and return None."""
    name = analyst()
    if name is None:
        st.error("Trang này dành cho cán bộ phân tích: hãy đăng nhập.", icon=":material/lock:")
    return name
