"""Đăng nhập / Tài khoản: analysts sign in to upload, roll back and load tasks; viewing needs no account."""

import streamlit as st

from pages import common
from papi_analysis import auth

common.page_header("Tài khoản")
name = common.analyst()

if common.oidc_configured():
    if name:
        st.success(f"Đã đăng nhập: {name}.")
        st.button("Đăng xuất", on_click=st.logout, key="account_logout")
    elif st.user.get("is_logged_in", False):
        st.warning("Tài khoản này chưa được cấp quyền cán bộ phân tích. Liên hệ quản trị hệ thống.")
        st.button("Đăng xuất", on_click=st.logout, key="account_logout")
    else:
        st.write("Xem số liệu không cần tài khoản. Cán bộ phân tích đăng nhập bằng tài khoản của cơ quan.")
        st.button("Đăng nhập", on_click=st.login, key="account_oidc_login", type="primary")
    st.stop()

if name:
    st.success(f"Đang đăng nhập: **{name}** (cán bộ phân tích). Có thể tải dữ liệu lên và hoàn tác.")
    if st.button("Đăng xuất", key="account_logout"):
        st.session_state.pop("_analyst", None)
        st.rerun()
    st.stop()

st.write(
    "Xem số liệu không cần tài khoản. Đăng nhập để tải dữ liệu lên, hoàn tác lượt tải lên hoặc nạp danh sách nhiệm vụ."
)
accounts = common.analyst_accounts()
if not accounts:
    st.info(
        "Chưa có tài khoản cán bộ phân tích nào. Quản trị viên thêm tài khoản bằng lệnh "
        "`python -m papi_analysis add-analyst TÊN` (mật khẩu chỉ được lưu dưới dạng mã băm)."
    )
with st.form("account_form"):
    user = st.text_input("Tên đăng nhập", key="account_name")
    password = st.text_input("Mật khẩu", type="password", key="account_password")
    submitted = st.form_submit_button("Đăng nhập", type="primary")
if submitted:
    result = auth.sign_in(accounts, user, password)
    if result.ok:
        st.session_state["_analyst"] = user.strip()
        st.rerun()
    st.error(result.message, icon=":material/lock:")
