"""Signing in where the user is: the one sign-in form (the account page, the Nhiệm vụ page's status tab, an
analyst page opened while signed out). It signs in on the page itself, so the URL — the page and its filters —
stays as it was (issue 21)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui import auth, render


def form() -> None:
    """Name and password; on success the page runs again, signed in, at the same URL."""
    with st.form("account_form"):
        user = st.text_input("Tên đăng nhập", key="account_name")
        password = st.text_input("Mật khẩu", type="password", key="account_password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if submitted:
        result = auth.sign_in(user, password)
        if result.ok:
            st.rerun()
        st.error(result.message, icon=":material/lock:")


def offer(reason: str) -> None:
    """Say why signing in is needed here, then the form (or OIDC's button)."""
    st.info(reason, icon=":material/lock:")
    if auth.oidc_configured():
        st.button("Đăng nhập", on_click=st.login, key="sign_in_oidc", type="primary")
    else:
        form()


def analyst_page(title: str) -> Callable[[], None]:
    """What an analyst page's address shows to anyone else: 'Đăng nhập' and why, never Streamlit's English
    "page not found". The real page is registered only for analysts (app.py)."""

    def page() -> None:
        who = auth.account()
        render.page_header("Đăng nhập" if who is None else title)
        if who is None:
            offer(f"Trang {title} dành cho cán bộ phân tích: hãy đăng nhập.")
        else:
            st.warning(
                render.plain(f"Trang {title} dành cho cán bộ phân tích; tài khoản {who.name} là {who.title}."),
                icon=":material/lock:",
            )

    return page
