"""Recording what was done: an analyst (or a department's reporter, for its own unit's tasks) sets a task's status
for the reporting period (with a short note and an evidence reference, both kept as plain text), sees every change
with who and when, and undoes the latest one. The form shows what is stored for the task — empty where nothing is
— and is reset after a change or an undo. Sections return instead of stopping the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from papi_analysis import fmt
from papi_analysis.access.permissions import Account, NotAllowed
from papi_analysis.plan.task_status import MAX_EVIDENCE, MAX_NOTE, STATUSES, latest, status_change
from papi_analysis.plan.task_tables import history_rows
from papi_analysis.store.database import StoreError
from ui import loaders, phone, render
from ui.tasks.task_filters import Filters

DONE_KEY = "tasks_update_done"
FIELDS = ("tasks_update_status_{}", "tasks_update_note_{}", "tasks_update_evidence_{}")


def stored_text(value: object) -> str:
    """A stored note or evidence as the form shows it: '' where nothing is stored (never 'nan')."""
    return "" if fmt.is_missing(value) else str(value)


def reset_form(task_id: str) -> None:
    """The form's fields show the stored values again on the next run (not what was typed before)."""
    for key in FIELDS:
        st.session_state.pop(key.format(task_id), None)


def _choose_task(chosen: pd.DataFrame) -> str | None:
    titles = dict(zip(chosen.task_id, chosen.title, strict=True))
    if not titles:
        st.info("Không có nhiệm vụ nào khớp bộ lọc.")
        return None
    task_id = st.selectbox(
        "Nhiệm vụ",
        list(titles),
        key="tasks_update_task",
        format_func=lambda t: f"{t} — {titles[t]}",
        placeholder="Chọn nhiệm vụ",
        help="Danh sách theo bộ lọc ở trên.",
    )
    if task_id is not None:  # the whole title, which the box cuts on a phone (issue 21); a computer shows it whole
        phone.only_text(f"{task_id} — {titles[task_id]}")
    return task_id


def record(chosen: pd.DataFrame, filters: Filters, user: Account) -> None:
    """The form that records one status; on success the page reruns and says what was written."""
    st.subheader(f"Cập nhật tình trạng — {filters.period.label}")
    if message := st.session_state.pop(DONE_KEY, None):
        render.done(message)
    task_id = _choose_task(chosen)
    if task_id is None:
        return
    before = chosen.set_index("task_id").loc[task_id]
    with st.form(f"tasks_update_form_{task_id}"):
        shown = STATUSES.index(before.status) if before.status in STATUSES else None
        status = st.selectbox(
            "Tình trạng", STATUSES, index=shown, key=f"tasks_update_status_{task_id}", placeholder="Chọn tình trạng"
        )
        note = st.text_area(
            "Kết quả thực hiện (ngắn)",
            value=stored_text(before.note),
            max_chars=MAX_NOTE,
            key=f"tasks_update_note_{task_id}",
        )
        evidence = st.text_input(
            "Minh chứng (số văn bản hoặc đường dẫn)",
            value=stored_text(before.evidence),
            max_chars=MAX_EVIDENCE,
            key=f"tasks_update_evidence_{task_id}",
        )
        submitted = st.form_submit_button("Ghi tình trạng", type="primary")
    if submitted and status is None:
        st.error("Chọn tình trạng trước khi ghi.", icon=":material/error:")
    elif submitted:
        try:
            change = status_change(filters.plan_id, task_id, filters.period, status, note, evidence)
            change_id = loaders.store().record_status(change, user)
        except (ValueError, StoreError, NotAllowed) as error:
            render.failed(error)
        else:
            said = f"{change.status.value} (thay đổi số {change_id})"
            st.session_state[DONE_KEY] = f"Đã ghi tình trạng {filters.period.label} của {task_id}: {said}."
            reset_form(task_id)
            st.rerun()
    history(filters, task_id, user)


def history(filters: Filters, task_id: str, user: Account) -> None:
    """Every change of the task's status, and undoing the latest one of the reporting period."""
    changes = loaders.store().task_statuses(filters.plan_id)
    changes = changes[changes.task_id == task_id]
    st.markdown(f"**Lịch sử tình trạng của {render.plain(task_id)}** — {len(changes)} lần cập nhật")
    if changes.empty:
        st.caption("Chưa có lần cập nhật nào.")
        return
    column_config = {"Kết quả": st.column_config.TextColumn(width="large")}
    render.dataframe(history_rows(changes), key="tasks_history", column_config=column_config)
    current = latest(changes, filters.period, exact=True)
    if current.empty:
        return
    change_id = int(current.change_id.iloc[0])
    sure = st.checkbox(
        f"Tôi muốn hoàn tác lần ghi số {change_id} ({filters.period.label}: {current.status.iloc[0]})",
        key="tasks_undo_confirm",
    )
    if st.button("Hoàn tác lần ghi này", disabled=not sure, key="tasks_undo"):
        try:
            loaders.store().undo_status(change_id, user)
        except (StoreError, NotAllowed) as error:
            render.failed(error)
            return
        st.session_state[DONE_KEY] = f"Đã hoàn tác lần ghi số {change_id} của {task_id}."
        reset_form(task_id)
        st.session_state.pop("tasks_undo_confirm", None)
        st.rerun()
