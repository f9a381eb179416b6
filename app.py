"""PAPI Dashboard entry: page config, the pages a viewer, a department reporter or an analyst may open, the shared
sidebar, then the selected page."""

import streamlit as st

from ui import auth, client, render, run_gate, sign_in, view

st.set_page_config(
    page_title="PAPI — Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="auto",
)

account, analyst = auth.account(), auth.analyst()
leadership = [
    st.Page("pages/overview.py", title="Tổng quan", icon=":material/dashboard:", default=True),
    st.Page("pages/comparison.py", title="So sánh", icon=":material/leaderboard:", url_path="so-sanh"),
    st.Page("pages/map.py", title="Bản đồ", icon=":material/map:", url_path="ban-do"),
    st.Page("pages/dimension.py", title="Chỉ số nội dung", icon=":material/query_stats:", url_path="chi-so-noi-dung"),
    st.Page("pages/tasks.py", title="Nhiệm vụ", icon=":material/task_alt:", url_path="nhiem-vu"),
]
data_pages = [st.Page("pages/data.py", title="Dữ liệu", icon=":material/table:", url_path="du-lieu")]
# Only an analyst's navigation holds the analyst pages; for anyone else their addresses lead to "Đăng nhập" (in
# Vietnamese), never to Streamlit's English "page not found".
ANALYST_PAGES = [
    ("pages/upload.py", "Tải dữ liệu lên", ":material/upload_file:", "tai-len"),
    ("pages/uploads.py", "Lịch sử tải lên", ":material/history:", "lich-su-tai-len"),
]
data_pages += [
    st.Page(script, title=title, icon=icon, url_path=path)
    if analyst
    else st.Page(sign_in.analyst_page(title), title=title, icon=icon, url_path=path, visibility="hidden")
    for script, title, icon, path in ANALYST_PAGES
]
account_page = [st.Page("pages/account.py", title=auth.account_title(), icon=":material/person:", url_path="tai-khoan")]
page = st.navigation({"Lãnh đạo": leadership, "Dữ liệu": data_pages, "Tài khoản": account_page})
# A page's printed header names it as the menu does. (getattr: a parse's fork-server child re-runs this file
# in bare mode, where the page has no title.)
st.session_state["_page_title"] = getattr(page, "title", "PAPI")
# Leadership pages take turns (ui/run_gate.py says why). getattr: in bare mode a Page has no url_path.
gated = getattr(page, "url_path", None) in {getattr(p, "url_path", None) for p in leadership}
with run_gate.turn(gated):
    view.sidebar()
    client.install()
    if account:
        st.sidebar.caption(f"Đang đăng nhập: **{render.plain(account.name)}** ({account.title})")
    auth.send_session()
    page.run()
