"""Lịch sử tải lên: every upload with its file, who and when; an analyst can roll one back (scores, a plan's
tasks, a status file)."""

import pandas as pd
import streamlit as st

from papi_analysis import fmt, times
from papi_analysis.access.permissions import Account
from papi_analysis.domain import UNIT_SET_LABELS, UNIT_SET_SHORT
from papi_analysis.plan.task_tables import history_rows
from papi_analysis.present.tables import upload_change_rows
from papi_analysis.store.database import StoreError
from ui import auth, loaders, render, url_filters

KIND = {"seed": "Dữ liệu gốc", "scores": "Điểm số", "tasks": "Nhiệm vụ", "status": "Tình trạng nhiệm vụ"}
UNDOABLE = {"scores", "tasks", "status"}
ROLLBACK_SAYS = {
    "scores": "Hoàn tác khôi phục chính xác các giá trị trước lượt tải lên này (và xóa các giá trị lượt này thêm mới).",
    "tasks": "Hoàn tác đưa kế hoạch về danh sách nhiệm vụ trước lượt tải lên này (hoặc gỡ kế hoạch nếu lượt này thêm "
    "kế hoạch mới). Tình trạng đã ghi của các nhiệm vụ được giữ nguyên.",
    "status": "Hoàn tác bỏ các tình trạng lượt này ghi; tình trạng trước đó của từng nhiệm vụ có hiệu lực lại.",
}


def history_table(uploads: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Số": uploads.upload_id,
            f"Thời điểm ({times.LABEL})": uploads.uploaded_at.map(times.from_server_time),
            "Người tải": uploads.uploaded_by,
            "Loại": uploads.kind.map(KIND),
            "Tệp": uploads.file_name,
            "Năm": uploads.years.map(lambda ys: ", ".join(map(str, ys)) if ys is not None else ""),
            "Danh mục": uploads.unit_set.map(lambda s: UNIT_SET_SHORT.get(s, "")),
            "Dòng": uploads.rows_in_file,
            "Thêm": uploads.cells_added,
            "Đổi": uploads.cells_changed,
            "Xóa": uploads.cells_removed,
            "Tên": uploads.names_changed,  # the names a year's file gives its parts (issue 19: never '0' after a write)
            "Trạng thái": [
                f"Đã hoàn tác {times.from_server_time(t)} ({b})" if pd.notna(t) else "Đang hiệu lực"
                for t, b in zip(uploads.rolled_back_at, uploads.rolled_back_by, strict=True)
            ],
        }
    )


# Widths (px) that fit the main column at 1440 px with the sidebar open (978 px): every column in sight,
# "Xóa" and "Trạng thái" too; a long file name or status shows whole on hover and in the downloads.
# Every column in sight at 1440 px (issue 21), the names' count (issue 19) included.
HISTORY_WIDTHS = {"Số": 46, "Người tải": 80, "Loại": 96, "Tệp": 110, "Năm": 56, "Danh mục": 70, "Dòng": 56,
                  "Thêm": 56, "Đổi": 56, "Xóa": 56, "Tên": 44, "Trạng thái": 104}  # fmt: skip


def history_columns(table: pd.DataFrame) -> dict:
    widths = {**HISTORY_WIDTHS, table.columns[1]: 128}  # the time, its zone in the header
    return {column: st.column_config.Column(width=width) for column, width in widths.items()}


def details(upload_id: int, upload: pd.Series) -> None:
    """The archived file and, for scores, every cell the upload changed."""
    store, ref = loaders.store(), loaders.reference()
    described = (
        f"#{upload_id} {upload.file_name} — {KIND[upload.kind]}, tải lên {times.from_server_time(upload.uploaded_at)} "
        f"({times.LABEL}) bởi "
        f"{upload.uploaded_by}; {fmt.integer(upload.size_bytes)} byte; SHA-256 {upload.sha256}"
    )
    if isinstance(upload.unit_set, str):
        described += f"; {UNIT_SET_LABELS[upload.unit_set]}"
    st.text(described)
    name, content = store.upload_file(upload_id)
    st.download_button(
        "Tải tệp gốc đã lưu",
        data=content,
        file_name=name.split("/")[-1],
        key="hist_file",
        on_click="ignore",
        icon=":material/download:",
    )
    if upload.kind == "tasks":
        replaced = f"; thay thế {upload.cells_removed} nhiệm vụ đang có" if upload.cells_removed else ""
        st.text(f"Lượt này ghi {upload.cells_added} nhiệm vụ{replaced}.")
        return
    if upload.kind == "status":
        statuses = store.task_statuses()
        render.dataframe(history_rows(statuses[statuses.upload_id == upload_id]), key="hist_statuses")
        return
    render.dataframe(upload_change_rows(store.upload_changes(upload_id), ref, "measure"), key="hist_changes")
    indicators = store.upload_indicator_changes(upload_id)
    if len(indicators):
        st.markdown(f"**{fmt.integer(len(indicators))} giá trị chỉ tiêu** (hoàn tác cũng khôi phục các giá trị này)")
        render.dataframe(upload_change_rows(indicators, ref, "code"), key="hist_indicator_changes")


def rollback(upload_id: int, upload: pd.Series, user: Account) -> None:
    if upload.kind == "seed":
        st.caption("Dữ liệu gốc (từ data/) không hoàn tác được; để sửa, tải lên tệp thay thế.")
    if upload.kind not in UNDOABLE or pd.notna(upload.rolled_back_at):
        return
    st.subheader("Hoàn tác")
    st.write(ROLLBACK_SAYS[upload.kind])
    sure = st.checkbox(f"Tôi muốn hoàn tác lượt tải lên #{upload_id}", key="hist_confirm")
    if st.button("Hoàn tác", type="primary", disabled=not sure, key="hist_rollback"):
        try:
            result = loaders.store().rollback(upload_id, user)
        except StoreError as error:
            render.failed(error)
            return
        st.session_state["hist_done"] = result.message or (
            f"Đã hoàn tác lượt #{upload_id}: khôi phục {result.changed} giá trị, xóa {result.removed} giá trị."
        )
        st.rerun()


def history(user: Account) -> None:
    render.page_header("Lịch sử tải lên")
    if message := st.session_state.pop("hist_done", None):
        render.done(message)
    uploads = loaders.store().uploads()
    table = history_table(uploads)
    every = {"format_func": KIND.get, "placeholder": "Tất cả các loại"}
    kept = [url_filters.choices("kinds", "hist_kinds", sorted(UNDOABLE), {k: k for k in KIND})]
    url_filters.restore(kept)
    kinds = st.multiselect("Loại", list(KIND), key="hist_kinds", **every)
    url_filters.keep(kept)
    shown = table[uploads.kind.isin(kinds or list(KIND))]
    render.dataframe(shown, key="hist_table", column_config=history_columns(shown))
    render.downloads(shown, ["lich-su-tai-len"], key="hist_download", sheet="Lịch sử", source="Lịch sử tải lên")
    st.subheader("Chi tiết một lượt tải lên")
    names = dict(zip(table["Số"], table["Tệp"], strict=True))
    chosen = [url_filters.choice("upload", "hist_choice", None, {str(i): i for i in shown["Số"].tolist()})]
    url_filters.restore(chosen)  # the upload looked at, in the URL (?upload=12)
    choice = st.selectbox(
        "Lượt tải lên",
        shown["Số"].tolist(),
        index=None,
        key="hist_choice",
        placeholder="Chọn số lượt",
        format_func=lambda i: f"#{i} — {names[i]}",
    )
    url_filters.keep(chosen)
    if choice is not None:
        upload = uploads.set_index("upload_id").loc[choice]
        details(int(choice), upload)
        rollback(int(choice), upload, user)


if user := auth.require_analyst():
    history(user)
