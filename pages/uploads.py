"""Lịch sử tải lên: every upload with its file, who and when; an analyst can roll one back."""

import pandas as pd
import streamlit as st

from pages import common
from papi_analysis import fmt
from papi_analysis.domain import UNIT_SET_LABELS
from papi_analysis.store import StoreError

user = common.require_analyst()
ref = common.reference()
store = common.store()
common.page_header("Lịch sử tải lên")
if message := st.session_state.pop("hist_done", None):
    st.success(message, icon=":material/check_circle:")

KIND = {"seed": "Dữ liệu gốc", "scores": "Điểm số", "tasks": "Nhiệm vụ"}
uploads = store.uploads()
table = pd.DataFrame(
    {
        "Số": uploads.upload_id,
        "Thời điểm": uploads.uploaded_at.map(fmt.moment),
        "Người tải": uploads.uploaded_by,
        "Loại": uploads.kind.map(KIND),
        "Tệp": uploads.file_name,
        "Năm": uploads.years.map(lambda ys: ", ".join(map(str, ys)) if ys is not None else ""),
        "Danh mục": uploads.unit_set.map(lambda s: "63 tỉnh" if s == "old" else "34 đơn vị" if s == "new" else ""),
        "Dòng": uploads.rows_in_file,
        "Thêm": uploads.cells_added,
        "Đổi": uploads.cells_changed,
        "Xóa": uploads.cells_removed,
        "Trạng thái": [
            f"Đã hoàn tác {fmt.moment(t)} ({b})" if pd.notna(t) else "Đang hiệu lực"
            for t, b in zip(uploads.rolled_back_at, uploads.rolled_back_by, strict=True)
        ],
    }
)
kinds = st.multiselect("Loại", list(KIND), default=["scores", "tasks"], format_func=KIND.get, key="hist_kinds")
shown = table[uploads.kind.isin(kinds or list(KIND))]
common.dataframe(shown, key="hist_table")
common.downloads(shown, ["lich-su-tai-len"], key="hist_download", sheet="Lịch sử")

st.subheader("Chi tiết một lượt tải lên")
choice = st.selectbox(
    "Lượt tải lên",
    shown["Số"].tolist(),
    index=None,
    key="hist_choice",
    placeholder="Chọn số lượt",
    format_func=lambda i: f"#{i} — {table.set_index('Số').loc[i, 'Tệp']}",
)
if choice is None:
    st.stop()
upload = uploads.set_index("upload_id").loc[choice]
st.markdown(
    f"**#{choice} {upload.file_name}** — {KIND[upload.kind]}, tải lên {fmt.moment(upload.uploaded_at)} bởi "
    f"{upload.uploaded_by}; {fmt.integer(upload.size_bytes)} byte; SHA-256 `{upload.sha256}`"
    + (f"; {UNIT_SET_LABELS[upload.unit_set]}" if upload.unit_set else "")
)
name, content = store.upload_file(int(choice))
st.download_button(
    "Tải tệp gốc đã lưu",
    data=content,
    file_name=name.split("/")[-1],
    key="hist_file",
    on_click="ignore",
    icon=":material/download:",
)
if upload.kind != "tasks":
    changes = store.upload_changes(int(choice))
    shown_changes = pd.DataFrame(
        {
            "Năm": changes.year,
            "Tỉnh, thành phố": changes.unit_id.map(ref.unit_name),
            "Chỉ số": changes.measure,
            "Trước": changes.old_value.map(lambda v: fmt.number(v, 4)),
            "Sau": changes.new_value.map(lambda v: fmt.number(v, 4)),
        }
    )
    common.dataframe(shown_changes, key="hist_changes")

if upload.kind == "scores" and pd.isna(upload.rolled_back_at):
    st.subheader("Hoàn tác")
    st.write("Hoàn tác khôi phục chính xác các giá trị trước lượt tải lên này (và xóa các giá trị lượt này thêm mới).")
    sure = st.checkbox(f"Tôi muốn hoàn tác lượt tải lên #{choice}", key="hist_confirm")
    if st.button("Hoàn tác", type="primary", disabled=not sure, key="hist_rollback"):
        try:
            result = store.rollback(int(choice), user)
        except StoreError as error:
            st.error(str(error), icon=":material/error:")
            st.stop()
        common.after_write()
        st.session_state["hist_done"] = (
            f"Đã hoàn tác lượt #{choice}: khôi phục {result.changed} giá trị, xóa {result.removed} giá trị."
        )
        st.rerun()
elif upload.kind == "seed":
    st.caption("Dữ liệu gốc (từ data/) không hoàn tác được; để sửa, tải lên tệp thay thế.")
