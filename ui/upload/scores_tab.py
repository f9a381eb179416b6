"""The scores tab of the upload page: read the file, show exactly what would change, ask for the
confirmations, commit. Each step returns instead of stopping the script, so a bad file here never
hides the other tabs."""

from __future__ import annotations

import hashlib

import streamlit as st

from papi_analysis import limits
from papi_analysis.access.permissions import Account
from papi_analysis.domain import FIRST_YEAR, NEW_UNITS, OLD_UNITS, UNIT_SET_LABELS
from papi_analysis.problems import InvalidFile
from papi_analysis.reading import isolated
from papi_analysis.reading.ingest import ParsedScores
from papi_analysis.store.database import StoreError
from papi_analysis.store.upload_diff import ScoreDiff
from ui import loaders, render, uploader
from ui.upload import mapping_editor, preview

AUTO = "auto"
HELP = (
    f"Tệp CSV hoặc Excel (.xlsx), tối đa {limits.megabytes(limits.MAX_UPLOAD_BYTES)}: **bảng số liệu PAPI đúng như "
    "tải về** (bảng chỉ tiêu cấp tỉnh, mỗi tỉnh một cột; hoặc bảng tổng hợp, mỗi tỉnh một dòng), **dạng dài** "
    "(`year, province, measure, value`, thêm `ci_low, ci_high` nếu có) hoặc **dạng rộng** (mỗi dòng một tỉnh, "
    "mỗi cột một chỉ số: D1…D8, TOTAL, hoặc tên chỉ số tiếng Việt/tiếng Anh). Tên tỉnh có hoặc không dấu đều được. "
    "CSV của Excel tiếng Việt (dấu chấm phẩy, dấu phẩy thập phân) cũng đọc được."
)


def chosen_sheet(content: bytes, file: str, key: str) -> str | None:
    """For a workbook with several non-empty sheets, ask which one (never guess)."""
    if not content.startswith(b"PK"):
        return None
    try:
        sheets = isolated.excel_sheets(content, file)
    except InvalidFile:  # a damaged or oversized workbook: the parse below says so, located
        return None
    if len(sheets) <= 1:
        return None
    return st.selectbox(
        "Tệp có nhiều trang tính: chọn trang chứa số liệu", sheets, index=None, key=key, placeholder="Chọn trang tính"
    )


def read_file(upload) -> tuple[ParsedScores, str] | None:
    """The options, then the parsed file (with its mapping, editable) and the unit-set choice; None (problems
    shown) if refused."""
    content = upload.getvalue()
    c1, c2 = st.columns(2)
    year = c1.number_input(
        "Năm (nếu tệp không có cột năm)",
        min_value=FIRST_YEAR,
        value=None,
        step=1,
        key="up_year",
        placeholder="Tự nhận biết",
    )
    units_choice = c2.radio(
        "Danh mục đơn vị",
        [AUTO, OLD_UNITS, NEW_UNITS],
        key="up_units",
        format_func={AUTO: "Tự nhận biết từ tên trong tệp", **UNIT_SET_LABELS}.get,
    )
    sheet = chosen_sheet(content, upload.name, "up_sheet")
    unit_set = None if units_choice == AUTO else units_choice
    key = mapping_editor.editor_key(hashlib.sha256(content).hexdigest(), sheet)
    try:
        parsed = isolated.parse_scores(
            content,
            upload.name,
            loaders.reference(),
            year=year and int(year),
            sheet=sheet,
            unit_set=unit_set,
            mapping=mapping_editor.overrides(key),
            remembered=loaders.store().remembered(),
        )
    except InvalidFile as error:
        if error.context is not None:  # the rows were understood: the analyst may correct how they are read
            mapping_editor.render_editor(error.context, key)
        render.problems_table(error.problems, key="up_problems")
        return None
    mapping_editor.render_editor(parsed.mapping, key)
    return parsed, units_choice


def _confirm_key(parsed: ParsedScores, replace: bool) -> str:
    """Confirmations belong to this exact file and choice: a new file asks again."""
    return f"{parsed.sha256[:16]}_{parsed.unit_set}_{replace}"


def units_confirmed(parsed: ParsedScores, replace: bool, units_choice: str) -> bool:
    return st.checkbox(
        f"Tôi xác nhận tệp dùng {UNIT_SET_LABELS[parsed.unit_set]}",
        key=f"up_units_ok_{_confirm_key(parsed, replace)}",
        value=units_choice != AUTO,
    )


def replace_confirmed(parsed: ParsedScores, diff: ScoreDiff, replace: bool) -> bool:
    """Changing stored values needs 'replace' ticked and a second confirmation."""
    if not (diff.needs_replace or (diff.existing_years and replace)):
        return True
    years, counts = ", ".join(map(str, diff.existing_years)), diff.counts()
    if not replace:
        st.warning(
            f"Năm {years} đã có dữ liệu và tệp thay đổi {counts['changed']} giá trị: "
            "hãy chọn 'Thay thế dữ liệu đã có' nếu đúng ý.",
            icon=":material/warning:",
        )
        return False
    return st.checkbox(
        f"Xác nhận lần hai: thay thế dữ liệu năm {years} ({counts['changed']} giá trị đổi, "
        f"{counts['removed']} giá trị xóa). Có thể hoàn tác ở trang Lịch sử tải lên.",
        key=f"up_replace_confirm_{_confirm_key(parsed, replace)}",
    )


def commit(parsed: ParsedScores, diff: ScoreDiff, replace: bool, ready: bool, user: Account) -> str | None:
    """The commit button; the success message once written."""
    if not st.button("Ghi vào cơ sở dữ liệu", type="primary", disabled=not ready, key="up_commit"):
        if not ready:
            st.caption("Nút ghi mở khi đã xác nhận danh mục đơn vị (và xác nhận thay thế nếu có).")
        return None
    try:
        result = loaders.store().commit_scores(parsed, replace=replace, user=user, expected_signature=diff.signature())
    except StoreError as error:
        render.failed(error)
        return None
    return (
        f"Đã ghi lượt tải lên số {result.upload_id}: thêm {result.added}, thay đổi {result.changed}, "
        f"xóa {result.removed} giá trị."
    )


def render_tab(user: Account, nonce: int) -> str | None:
    """The whole scores tab; returns the success message when a file was committed."""
    st.markdown(HELP)
    upload = uploader.file_uploader("Tệp điểm số", key=f"up_scores_{nonce}")
    if upload is None or (read := read_file(upload)) is None:
        return None
    parsed, units_choice = read
    replace = st.checkbox(
        "Thay thế dữ liệu đã có của năm này (ghi đè giá trị khác, xóa giá trị không có trong tệp)", key="up_replace"
    )
    try:
        diff = loaders.store().preview(parsed, replace=replace)
    except StoreError as error:
        render.failed(error)
        return None
    preview.describe(parsed)
    preview.depth(parsed)
    units_ok = units_confirmed(parsed, replace, units_choice)
    preview.show_diff(parsed, diff)
    if not diff.has_changes:
        st.success("Không có thay đổi nào so với dữ liệu đang lưu; không cần ghi.", icon=":material/check:")
        return None
    ready = replace_confirmed(parsed, diff, replace) and units_ok
    return commit(parsed, diff, replace, ready, user)
