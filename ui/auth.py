"""Who is signed in. Viewing needs no account; analysts and department reporters sign in with a name and password
checked against salted hashes in secrets.toml (access/accounts.py), or through Streamlit's OIDC (st.login) when
[auth] is set. What each account may do is access/permissions.py's, and the store checks it on every write.

A password sign-in survives a reload: the browser gets a signed, expiring, HttpOnly cookie (access/sessions.py)
through the server's own endpoint (ui/session_routes.py), and a new session reads it from the websocket's
request (st.context.cookies). Signing out ends the session on the server and clears the cookie.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

import streamlit as st

from papi_analysis.access import accounts, passwords, transport
from papi_analysis.access.permissions import Account
from papi_analysis.access.sessions import COOKIE, Sessions
from papi_analysis.access.throttle import Throttle, client_address
from papi_analysis.paths import db_path, signin_path
from ui import per_run, session_routes

_LOG = logging.getLogger(__name__)
ACCOUNT = "_account"  # session_state: the signed-in Account
ANALYST = "_analyst"  # session_state: the signed-in analyst's name (as since the first release)
_COOKIE_READ = "_session_cookie_read"  # the request's cookie was looked at (once per session)
_COOKIE = "_session_cookie"  # the cookie value of this session, to end it at sign-out
_HANDOFF = "_session_handoff"  # a hand-off token the next run posts to the server
_SIGN_OUT = "_session_sign_out"  # the next run asks the server to clear the cookie


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets[name]) if name in st.secrets else {}
    except Exception:  # no secrets.toml at all: nobody can sign in, everyone can view
        return {}


def _accounts_secrets() -> dict:
    return {passwords.SECTION: _secrets_section(passwords.SECTION), accounts.REPORTERS: _secrets_section("reporters")}


def oidc_configured() -> bool:
    """Asked several times a run; without a secrets file Streamlit looks for one at every ask (ui/per_run.py)."""
    return per_run.once("oidc_configured", lambda: bool(_secrets_section("auth")))


def analyst_hashes() -> dict[str, str]:
    """Analyst name -> password hash."""
    return {k: str(v) for k, v in _secrets_section(passwords.SECTION).items()}


def account_hashes() -> dict[str, str]:
    """Every account's name -> password hash (analysts and department reporters)."""
    return accounts.password_hashes(_accounts_secrets())


@cache
def _sessions(database: Path) -> Sessions:
    return Sessions(database)


def _oidc_account() -> Account | None:
    """Through OIDC: a reporter where `[auth] reporter_units` maps the e-mail to a unit; else an analyst (limited
    to `analyst_emails` when that list is set)."""
    if not st.user.get("is_logged_in", False):
        return None
    settings = _secrets_section("auth")
    email = str(st.user.get("email", ""))
    if unit := dict(settings.get("reporter_units", {})).get(email):
        return Account.reporter(email, str(unit))
    allowed = settings.get("analyst_emails")
    if allowed and email not in allowed:
        return None
    return Account.analyst(email or str(st.user.get("name", "OIDC")))


def _from_cookie() -> Account | None:
    """The account the request's session cookie signs in, looked at once per session."""
    state = st.session_state
    if state.get(_COOKIE_READ):
        return None
    state[_COOKIE_READ] = True
    cookie = st.context.cookies.get(COOKIE)
    if not cookie:
        return None
    found = _sessions(db_path()).account(cookie, _accounts_secrets())
    if found is not None:
        _remember(found)
        state[_COOKIE] = cookie
    return found


def _remember(who: Account) -> None:
    st.session_state[ACCOUNT] = who
    if not who.is_reporter:
        st.session_state[ANALYST] = who.name


def account() -> Account | None:
    """The signed-in account (an analyst or a department reporter), or None for a viewer."""
    if oidc_configured():
        return _oidc_account()
    state = st.session_state
    if (who := state.get(ACCOUNT)) is not None:
        return who
    if name := state.get(ANALYST):
        return Account.analyst(str(name))
    return _from_cookie()


def analyst() -> Account | None:
    """The signed-in analyst, or None (a viewer, or a department reporter)."""
    who = account()
    return who if who is not None and not who.is_reporter else None


def account_title() -> str:
    """The account page's one name, in the menu and as its title: what it offers now."""
    return "Tài khoản" if account() else "Đăng nhập"


def signed_in_elsewhere() -> bool:
    """Signed in through OIDC, but with no account here."""
    return oidc_configured() and bool(st.user.get("is_logged_in", False)) and account() is None


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
    hashes = account_hashes()
    result = passwords.sign_in(hashes, name, password, Throttle(signin_path()), client=_client())
    who = accounts.account_named(_accounts_secrets(), name.strip()) if result.ok else None
    if who is None:
        return result if not result.ok else passwords.SignIn(False, passwords.FAILED_MESSAGE)
    state = st.session_state
    cookie = _sessions(db_path()).issue(who, hashes[who.name])
    _remember(who)
    state[_COOKIE], state[_HANDOFF] = cookie, _sessions(db_path()).handoff(cookie)
    state.pop(_SIGN_OUT, None)
    if result.stale_hash:
        _upgrade(who.name, password, result.stale_hash)
    return result


def sign_out() -> None:
    """End the session on the server (its cookie is refused from now on) and have the browser drop the cookie."""
    state = st.session_state
    _sessions(db_path()).end(state.pop(_COOKIE, None) or st.context.cookies.get(COOKIE))
    for key in (ACCOUNT, ANALYST, _HANDOFF):
        state.pop(key, None)
    state[_COOKIE_READ], state[_SIGN_OUT] = True, True


def _post(path: str, body: str) -> None:
    """A POST from the page to the server's session endpoint; the element removes its own code. It goes last in
    the sidebar: an element that comes and goes in the main area would shift the page's own (a tab would reset)."""
    url = session_routes.endpoint(path, st.get_option("server.baseUrlPath") or "")
    code = (
        f"fetch({json.dumps(url)}, {{method: 'POST', body: {json.dumps(body)}, credentials: 'same-origin', "
        "headers: {'Content-Type': 'text/plain'}}); document.currentScript && document.currentScript.remove();"
    ).replace("</", "<\\/")
    st.sidebar.html(f'<span class="papi-client"></span><script>{code}</script>', unsafe_allow_javascript=True)


def send_session() -> None:
    """On the run after a sign-in or a sign-out, have the browser get or drop the session cookie."""
    state = st.session_state
    if token := state.pop(_HANDOFF, None):
        _post(session_routes.SESSION_PATH, token)
    elif state.pop(_SIGN_OUT, False):
        _post(session_routes.SIGN_OUT_PATH, "")


def require_analyst() -> Account | None:
    """The analyst; for anyone else, say the page is for analysts and return None."""
    who = analyst()
    if who is None:
        st.error("Trang này dành cho cán bộ phân tích: hãy đăng nhập.", icon=":material/lock:")
    return who
