"""Đăng nhập / Tài khoản: analysts sign in to upload, roll back and load tasks; viewing needs no account."""

import streamlit as st

from ui import auth, render

VIEWING_IS_FREE = "Xem số liệu không cần tài khoản."


def oidc_account(name: str | None) -> None:
    if name:
        st.success(f"Đã đăng nhập: {render.plain(name)}.")
        st.button("Đăng xuất", on_click=st.logout, key="account_logout")
    elif auth.signed_in_elsewhere():
        st.warning("Tài khoản này chưa được cấp quyền cán bộ phân tích. Liên hệ quản trị hệ thống.")
        st.button("Đăng xuất", on_click=st.logout, key="account_logout")
    else:
        st.write(f"{VIEWING_IS_FREE} Cán bộ phân tích đăng nhập bằng tài khoản của cơ quan.")
        st.button("Đăng nhập", on_click=st.login, key="account_oidc_login", type="primary")


def signed_in(name: str) -> None:
    st.success(f"Đang đăng nhập: **{render.plain(name)}** (cán bộ phân tích). Có thể tải dữ liệu lên và hoàn tác.")
    if st.button("Đăng xuất", key="account_logout"):
        auth.sign_out()
        st.rerun()


def sign_in_form() -> None:
    st.write(f"{VIEWING_IS_FREE} Đăng nhập để tải dữ liệu lên, hoàn tác lượt tải lên hoặc nạp danh sách nhiệm vụ.")
    if not auth.analyst_hashes():
        st.info(
            "Chưa có tài khoản cán bộ phân tích nào. Quản trị viên thêm tài khoản bằng lệnh "
            "`python -m papi_analysis add-analyst TÊN` (mật khẩu chỉ được lưu dưới dạng mã băm)."
        )
    with st.form("account_form"):
        user = st.text_input("Tên đăng nhập", key="account_name")
        password = st.text_input("Mật khẩu", type="password", key="account_password")
        submitted = st.form_submit_button("Đăng nhập", type="primary")
    if submitted:
        result = auth.sign_in(user, password)
        if result.ok:
            st.rerun()
        st.error(result.message, icon=":material/lock:")


render.page_header(auth.account_title())
name = auth.analyst()
if auth.oidc_configured():
    oidc_account(name)
elif name:
    signed_in(name)
else:
    sign_in_form()
