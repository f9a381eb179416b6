"""The scores tab of the upload page: the analyst's choices, then the one upload path the command line takes too
(papi_analysis.store.scores_upload: read → preview → commit with its signature): how every row and column is read
(editable), what is skipped and why, exactly what would change, the confirmations asked, the commit. Each step
returns instead of stopping the script, so a bad file here never hides the other tabs."""

from __future__ import annotations

import hashlib

import streamlit as st

from papi_analysis import limits
from papi_analysis.access.permissions import Account
from papi_analysis.domain import FIRST_YEAR, NEW_UNITS, OLD_UNITS, UNIT_SET_LABELS
from papi_analysis.problems import InvalidFile
from papi_analysis.reading import isolated
from papi_analysis.reading.context import COLUMNS, ROWS, Choices, parse_location
from papi_analysis.reading.ingest import ParsedScores
from papi_analysis.store import scores_upload
from papi_analysis.store.database import StoreError
from papi_analysis.store.scores_upload import Confirmed, Preview
from ui import loaders, render, uploader
from ui.upload import mapping_editor, preview

AUTO = "auto"
HELP = (
    f"Tệp CSV hoặc Excel (.xlsx), tối đa {limits.megabytes(limits.MAX_UPLOAD_BYTES)}: **bảng số liệu PAPI đúng như "
    "tải về** (bảng chỉ tiêu cấp tỉnh, mỗi tỉnh một cột; hoặc bảng tổng hợp, mỗi tỉnh một dòng, kèm các trang "
    "«Điểm thành phần»), các bảng tổng hợp lại từ số liệu PAPI (cột mã, tên hai thứ tiếng, tiêu đề hai dòng, công "
    "thức, dòng cao nhất/thấp nhất), **dạng dài** (`year, province, measure, value`, thêm `ci_low, ci_high` nếu có) "
    "hoặc **dạng rộng** (mỗi dòng một tỉnh, mỗi cột một chỉ số: D1…D8, TOTAL, hoặc tên chỉ số tiếng Việt/tiếng Anh). "
    "Tên tỉnh có hoặc không dấu đều được. CSV của Excel tiếng Việt (dấu chấm phẩy, dấu phẩy thập phân) cũng đọc được."
)
UNITS_IN = {AUTO: "Tự nhận biết", ROWS: "Mỗi tỉnh một dòng", COLUMNS: "Mỗi tỉnh một cột"}


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


def _skip_box() -> tuple[str, ...]:
    """The rows and columns the analyst chose to skip ('dòng 66, cột E'); a place not understood is said."""
    text = st.text_input("Bỏ qua các dòng/cột (ví dụ: dòng 66, cột E)", key="up_skip")
    places = tuple(part.strip() for part in (text or "").split(",") if part.strip())
    wrong = [p for p in places if parse_location(p) is None]
    if wrong:
        st.warning(render.plain("Không hiểu vị trí: " + ", ".join(wrong) + " (ghi 'dòng 66' hoặc 'cột E')."))
    return tuple(p for p in places if p not in wrong)


def _choices(upload, content: bytes) -> tuple[Choices, str, str]:
    """The analyst's choices (year, unit set, sheet, where the units are, rows/columns to skip, the editor's
    lines), the unit-set choice as made, and the editor's key."""
    c1, c2, c3 = st.columns(3)
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
    units_in = c3.radio("Tỉnh, thành phố nằm theo", list(UNITS_IN), key="up_units_in", format_func=UNITS_IN.get)
    sheet = chosen_sheet(content, upload.name, "up_sheet")
    skip = _skip_box()
    layout = "" if units_in == AUTO and not skip else f"{units_in}|{'|'.join(skip)}"
    key = mapping_editor.editor_key(hashlib.sha256(content).hexdigest(), sheet, layout)
    choices = Choices(
        year=year and int(year),
        unit_set=None if units_choice == AUTO else units_choice,
        sheet=sheet,
        units_in=None if units_in == AUTO else units_in,
        lines=mapping_editor.overrides(key),
        skip=skip,
    )
    return choices, units_choice, key


def read_file(upload) -> tuple[ParsedScores, str] | None:
    """The options, then the read file (its mapping editable, what was skipped said) and the unit-set choice;
    None (problems shown) if refused."""
    content = upload.getvalue()
    choices, units_choice, key = _choices(upload, content)
    reading = scores_upload.read(loaders.store(), content, upload.name, choices, loaders.reference())
    if reading.mapping is not None:  # the rows were understood: the analyst may correct how they are read
        mapping_editor.render_editor(reading.mapping, key)
    preview.skipped(reading.skipped)
    if not reading.accepted:
        render.problems_table(reading.problems, key="up_problems")
        return None
    return reading.parsed, units_choice


def _confirm_key(parsed: ParsedScores, replace: bool) -> str:
    """Confirmations belong to this exact file and choice: a new file asks again."""
    return f"{parsed.sha256[:16]}_{parsed.unit_set}_{replace}"


def units_confirmed(parsed: ParsedScores, replace: bool, units_choice: str) -> bool:
    return st.checkbox(
        f"Tôi xác nhận tệp dùng {UNIT_SET_LABELS[parsed.unit_set]}",
        key=f"up_units_ok_{_confirm_key(parsed, replace)}",
        value=units_choice != AUTO,
    )


def replace_confirmed(shown: Preview, replace: bool) -> bool:
    """Changing or deleting stored values needs 'replace' ticked and a second confirmation that names them."""
    diff = shown.diff
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
        key=f"up_replace_confirm_{_confirm_key(shown.parsed, replace)}",
    )


def _confirmed(shown: Preview, replace: bool, units_ok: bool) -> Confirmed | None:
    """Every confirmation the preview asks for, as the analyst gave them (None: something is still missing)."""
    parsed, key = shown.parsed, _confirm_key(shown.parsed, replace)
    year = parsed.year_confirmed or st.checkbox(
        f"Tôi xác nhận số liệu là năm {parsed.file_year.year}", key=f"up_year_ok_{key}"
    )
    names = not shown.names_only or st.checkbox(f"Ghi các tên thay đổi ({shown.names()})", key=f"up_names_{key}")
    replaced = replace_confirmed(shown, replace)
    if not (year and names and replaced and units_ok):
        st.caption("Nút ghi mở khi đã xác nhận danh mục đơn vị (và năm, thay thế, tên nếu được hỏi).")
        return None
    return Confirmed(year=True, names=True, deletions=shown.deletions)


def commit(shown: Preview, confirmed: Confirmed | None, user: Account) -> str | None:
    """The commit button; the success message once written."""
    if not st.button("Ghi vào cơ sở dữ liệu", type="primary", disabled=confirmed is None, key="up_commit"):
        return None
    try:
        result = scores_upload.commit(loaders.store(), shown, user, confirmed)
    except StoreError as error:
        render.failed(error)
        return None
    return scores_upload.done_message(result)


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
        shown = scores_upload.preview(loaders.store(), parsed, replace=replace, ref=loaders.reference())
    except StoreError as error:
        render.failed(error)
        return None
    preview.describe(parsed)
    preview.depth(parsed)
    units_ok = units_confirmed(parsed, replace, units_choice)
    preview.show_diff(shown)
    if shown.nothing:
        st.success("Không có thay đổi nào so với dữ liệu đang lưu; không cần ghi.", icon=":material/check:")
        return None
    return commit(shown, _confirmed(shown, replace, units_ok), user)
