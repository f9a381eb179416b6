"""Đăng nhập / Tài khoản: analysts sign in to upload, roll back and load tasks; a department's reporter to record
its own unit's task statuses; viewing needs no account."""

import streamlit as st

from papi_analysis.access.permissions import Account
from ui import auth, render, sign_in

VIEWING_IS_FREE = "Xem số liệu không cần tài khoản."


def can_do(who: Account) -> str:
    if who.is_reporter:
        return f"Có thể ghi tình trạng các nhiệm vụ {who.unit} chủ trì, ở trang Nhiệm vụ."
    return "Có thể tải dữ liệu lên và hoàn tác."


def oidc_account(who: Account | None) -> None:
    if who:
        st.success(render.plain(f"Đã đăng nhập: {who.name} ({who.title}). {can_do(who)}"))
        st.button("Đăng xuất", on_click=st.logout, key="account_logout")
    elif auth.signed_in_elsewhere():
        st.warning("Tài khoản này chưa được cấp quyền cán bộ phân tích. Liên hệ quản trị hệ thống.")
        st.button("Đăng xuất", on_click=st.logout, key="account_logout")
    else:
        st.write(f"{VIEWING_IS_FREE} Cán bộ phân tích đăng nhập bằng tài khoản của cơ quan.")
        st.button("Đăng nhập", on_click=st.login, key="account_oidc_login", type="primary")


def signed_in(who: Account) -> None:
    st.success(f"Đang đăng nhập: **{render.plain(who.name)}** ({render.plain(who.title)}). {render.plain(can_do(who))}")
    if st.button("Đăng xuất", key="account_logout"):
        auth.sign_out()
        st.rerun()


def sign_in_form() -> None:
    st.write(
        f"{VIEWING_IS_FREE} Cán bộ phân tích đăng nhập để tải dữ liệu lên, hoàn tác lượt tải lên hoặc nạp danh sách "
        "nhiệm vụ; báo cáo viên của một sở, ngành đăng nhập để cập nhật tình trạng nhiệm vụ đơn vị mình chủ trì."
    )
    if not auth.account_hashes():
        st.info(
            "Chưa có tài khoản nào. Quản trị viên thêm tài khoản bằng lệnh "
            "`python -m papi_analysis add-analyst TÊN` (cán bộ phân tích) hoặc "
            '`python -m papi_analysis add-reporter TÊN --unit "Sở Nội vụ"` (báo cáo viên của một đơn vị); '
            "mật khẩu chỉ được lưu dưới dạng mã băm."
        )
    sign_in.form()


render.page_header(auth.account_title())
who = auth.account()
if auth.oidc_configured():
    oidc_account(who)
elif who:
    signed_in(who)
else:
    sign_in_form()
