"""The tasks tab of the upload page: a plan's tasks file, the plan's details if it is new, a preview,
then the commit. Returns instead of stopping, like every tab."""

from __future__ import annotations

import streamlit as st

from papi_analysis.access.permissions import Account
from papi_analysis.domain import ALL_PROVINCES_FROM, HOME_PROVINCE
from papi_analysis.plan.plan_tasks import LoadedTasks, parse_plan
from papi_analysis.problems import InvalidFile
from papi_analysis.reading import isolated
from papi_analysis.store.database import StoreError
from ui import loaders, render, uploader

HELP = (
    "Tệp nhiệm vụ có các cột như `data/tasks.csv` (xem data/TASKS.md): id, plan_id, section, title, "
    "text, dimensions, subdimensions, lead_units, coordinating_units, product, due, due_date. "
    "Danh sách trong một ô cách nhau bằng dấu `;`. Kế hoạch mới được thêm, không ghi đè kế hoạch khác."
)


def plan_details(loaded: LoadedTasks) -> dict | None:
    """For a plan not known yet: its details from a form; None until they are valid."""
    st.info(render.plain(f"Kế hoạch {loaded.plan_id} chưa có: nhập thông tin kế hoạch."), icon=":material/info:")
    with st.form("up_plan_form"):
        title = st.text_input("Tên kế hoạch")
        body = st.text_input("Cơ quan ban hành", value=f"UBND tỉnh {HOME_PROVINCE}")
        issued = st.date_input("Ngày ban hành", value=None, format="DD/MM/YYYY")
        target = st.number_input("Năm mục tiêu (năm khảo sát PAPI)", min_value=ALL_PROVINCES_FROM, step=1, value=None)
        province = st.text_input("Tỉnh, thành phố", value=HOME_PROVINCE)
        submitted = st.form_submit_button("Dùng thông tin này")
    details = {
        "plan_id": loaded.plan_id,
        "title": title,
        "issuing_body": body,
        "issued_on": issued,
        "target_year": target,
        "province": province,
    }
    try:
        return parse_plan(details)
    except InvalidFile as error:
        if submitted:
            render.problems_table(error.problems, key="up_plan_problems")
        return None


def preview(loaded: LoadedTasks) -> None:
    st.subheader("Xem trước")
    st.text(
        f"{loaded.plan_id} — {loaded.plan['title']}: {len(loaded.tasks)} nhiệm vụ, "
        f"{loaded.task_measures.measure.nunique()} chỉ số được gắn."
    )
    for warning in loaded.warnings:
        st.warning(render.plain(warning))
    columns = {"task_id": "Mã", "section_ref": "Mục", "title": "Nhiệm vụ", "due_text": "Thời hạn"}
    render.dataframe(loaded.tasks[list(columns)].rename(columns=columns), key="up_tasks_preview")


def render_tab(user: Account, nonce: int) -> str | None:
    """The whole tasks tab; returns the success message when a plan's tasks were written."""
    st.markdown(HELP)
    upload = uploader.file_uploader("Tệp nhiệm vụ", key=f"up_tasks_{nonce}")
    if upload is None:
        return None
    plans = {p["plan_id"]: p for p in loaders.plans().to_dict("records")}
    try:
        loaded = isolated.parse_tasks(upload.getvalue(), upload.name, loaders.reference(), plans)
    except InvalidFile as error:
        render.problems_table(error.problems, key="up_problems")
        return None
    if loaded.plan is None and (plan := plan_details(loaded)) is None:
        return None
    if loaded.plan is None:
        loaded.plan = plan
    preview(loaded)
    exists = loaded.plan_id in plans
    confirm = not exists or st.checkbox(
        render.plain(f"Kế hoạch {loaded.plan_id} đã có: xác nhận thay thế toàn bộ danh sách nhiệm vụ của kế hoạch này"),
        key="up_tasks_replace",
    )
    if not st.button("Ghi danh sách nhiệm vụ", type="primary", disabled=not confirm, key="up_tasks_commit"):
        return None
    try:
        upload_id = loaders.store().commit_tasks(loaded, user=user, replace=exists)
    except StoreError as error:
        st.error(render.plain(error))
        return None
    return (
        f"Đã ghi {len(loaded.tasks)} nhiệm vụ của kế hoạch {loaded.plan_id} (lượt tải lên số {upload_id}); "
        "hoàn tác được ở trang Lịch sử tải lên."
    )
