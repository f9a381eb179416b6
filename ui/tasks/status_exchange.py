"""Statuses in and out as the quarterly report file (Mã, Nhiệm vụ, Đơn vị, Thời hạn, Tình trạng, Kết quả,
Minh chứng): anyone downloads the filtered list with its statuses; an analyst uploads a filled file, sees
every problem or the exact changes, then confirms. The upload is archived and can be undone on the upload
history page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from papi_analysis import times
from papi_analysis.access.permissions import Account, Action, NotAllowed, require_tasks, units_of
from papi_analysis.files import export as exports
from papi_analysis.plan import status_file
from papi_analysis.plan.task_status import plan_periods
from papi_analysis.problems import InvalidFile
from papi_analysis.reading import isolated
from papi_analysis.store.database import StoreError
from ui import loaders, render, uploader
from ui.tasks.task_filters import Filters


def export(chosen: pd.DataFrame, filters: Filters) -> None:
    plan = loaders.plans().set_index("plan_id").loc[filters.plan_id]
    history = loaders.statuses()
    recorded = sorted(set(history[history.plan_id == filters.plan_id].period))
    periods = plan_periods(plan.issued_on, int(plan.target_year), times.vietnam_today(), recorded)
    st.download_button(
        f"Tải mẫu báo cáo {filters.period.label} (Excel)",
        data=lambda: status_file.report_xlsx(chosen, filters.period, periods),
        file_name=status_file.file_name(filters.plan_id, filters.period, filters.unit),
        mime=exports.MIME["xlsx"],
        key="tasks_report_xlsx",
        icon=":material/download:",
        on_click="ignore",
        help="Một dòng cho mỗi nhiệm vụ theo bộ lọc: mã, nhiệm vụ, đơn vị, thời hạn, kỳ báo cáo, tình trạng, kết quả, "
        "minh chứng. Chọn Tình trạng trong danh sách, điền Kết quả, Minh chứng rồi tải lên lại.",
    )


def upload(plan_tasks: pd.DataFrame, filters: Filters, user: Account) -> None:
    """Import a filled quarterly report for the reporting period."""
    st.subheader(f"Nhập tình trạng từ tệp báo cáo quý — {filters.period.label}")
    st.caption(
        "Tệp Excel (hoặc CSV) có dòng tiêu đề: Mã, Nhiệm vụ, Đơn vị, Thời hạn, Kỳ báo cáo, Tình trạng, Kết quả, "
        "Minh chứng. Chỉ đọc các cột Mã, Kỳ báo cáo, Tình trạng, Kết quả, Minh chứng; dòng để trống Tình trạng được "
        "bỏ qua."
    )
    state = st.session_state
    state.setdefault("tasks_import_nonce", 0)
    if message := state.pop("tasks_import_done", None):
        render.done(message)
    file = uploader.file_uploader("Tệp báo cáo quý", key=f"tasks_import_{state['tasks_import_nonce']}")
    if file is None:
        return
    history = loaders.store().task_statuses()
    try:
        imported = isolated.parse_status_file(
            file.getvalue(), file.name, filters.plan_id, plan_tasks, history, filters.period
        )
    except InvalidFile as error:
        render.problems_table(error.problems, key="tasks_import_problems")
        return
    for warning in imported.warnings:
        st.warning(render.plain(warning))
    st.text(
        f"{imported.file}: {imported.rows_in_file} dòng; {len(imported.changes)} thay đổi, "
        f"{imported.unchanged} không đổi, {imported.blank} để trống tình trạng."
    )
    if not imported.changes:
        st.info("Tệp không thay đổi tình trạng nào so với dữ liệu đang lưu; không có gì để ghi.")
        return
    touched = units_of(plan_tasks, [c.task_id for c in imported.changes])
    try:  # said before the preview; the store checks it again when writing
        require_tasks(user, Action.IMPORT_STATUSES, touched)
    except NotAllowed as error:
        render.failed(error)
        return
    render.dataframe(imported.preview(), key="tasks_import_preview")
    if not st.button(f"Ghi {len(imported.changes)} tình trạng", type="primary", key="tasks_import_commit"):
        return
    try:
        upload_id = loaders.store().commit_status_import(imported, user)
    except (StoreError, NotAllowed) as error:
        render.failed(error)
        return
    state["tasks_import_nonce"] += 1
    state["tasks_import_done"] = (
        f"Đã ghi {len(imported.changes)} tình trạng {filters.period.label} (lượt tải lên số {upload_id}); "
        "hoàn tác được ở trang Lịch sử tải lên."
    )
    st.rerun()
