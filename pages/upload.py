"""Tải dữ liệu lên: validate a scores or tasks file, preview exactly what changes, then commit."""

import pandas as pd
import streamlit as st

from pages import common
from papi_analysis import fmt
from papi_analysis.domain import NEW_UNITS, OLD_UNITS, UNIT_SET_LABELS
from papi_analysis.ingest import parse_scores
from papi_analysis.problems import InvalidFile
from papi_analysis.store import StoreError
from papi_analysis.tables import template_long, template_wide
from papi_analysis.tabular import MAX_UPLOAD_BYTES, excel_sheets
from papi_analysis.tasks import parse_plan, parse_tasks, to_file_frame

user = common.require_analyst()
ref = common.reference()
store = common.store()
common.page_header("Tải dữ liệu lên")
state = st.session_state
state.setdefault("up_nonce", 0)
if message := state.pop("up_done", None):
    st.success(message, icon=":material/check_circle:")


def show_problems(error: InvalidFile) -> None:
    st.error(f"Tệp không hợp lệ: {len(error.problems)} lỗi. Chưa có gì được ghi.", icon=":material/error:")
    common.dataframe(
        pd.DataFrame(
            [
                {
                    "Tệp": p.file,
                    "Dòng": p.row if p.row is not None else "",
                    "Cột": p.column or "",
                    "Ô": p.cell or "",
                    "Giá trị": p.value or "",
                    "Vấn đề": p.message,
                }
                for p in error.problems
            ]
        ),
        key="up_problems",
    )


def chosen_sheet(content: bytes, key: str) -> str | None:
    """For a workbook with several non-empty sheets, ask which one (never guess)."""
    if not content.startswith(b"PK"):
        return None
    try:
        sheets = excel_sheets(content)
    except Exception:  # damaged workbook: the parser reports it in Vietnamese
        return None
    if len(sheets) <= 1:
        return None
    return st.selectbox(
        "Tệp có nhiều trang tính: chọn trang chứa số liệu", sheets, index=None, key=key, placeholder="Chọn trang tính"
    )


def finish(message: str) -> None:
    common.after_write()
    state["up_nonce"] += 1
    state["up_done"] = message
    st.rerun()


scores_tab, tasks_tab, templates_tab = st.tabs(["Điểm số", "Nhiệm vụ kế hoạch", "Tệp mẫu"])

with scores_tab:
    st.markdown(
        "Tệp CSV hoặc Excel (.xlsx), tối đa "
        f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB: **dạng dài** (`year, province, measure, value`, thêm "
        "`ci_low, ci_high` nếu có) hoặc **dạng rộng** (mỗi dòng một tỉnh, mỗi cột một chỉ số: D1…D8, TOTAL, "
        "hoặc tên chỉ số tiếng Việt/tiếng Anh). Tên tỉnh có hoặc không dấu đều được."
    )
    upload = st.file_uploader("Tệp điểm số", type=["csv", "xlsx", "txt"], key=f"up_scores_{state['up_nonce']}")
    if upload is not None:
        content = upload.getvalue()
        c1, c2 = st.columns(2)
        year = c1.number_input(
            "Năm (nếu tệp dạng rộng không có cột năm)",
            min_value=2009,
            value=None,
            step=1,
            key="up_year",
            placeholder="Tự nhận biết",
        )
        units_choice = c2.radio(
            "Danh mục đơn vị",
            ["auto", OLD_UNITS, NEW_UNITS],
            horizontal=False,
            key="up_units",
            format_func={"auto": "Tự nhận biết từ tên trong tệp", **UNIT_SET_LABELS}.get,
        )
        sheet = chosen_sheet(content, "up_sheet")
        try:
            parsed = parse_scores(
                content,
                upload.name,
                ref,
                year=int(year) if year else None,
                sheet=sheet,
                unit_set=None if units_choice == "auto" else units_choice,
            )
        except InvalidFile as error:
            show_problems(error)
            st.stop()
        replace = st.checkbox(
            "Thay thế dữ liệu đã có của năm này (ghi đè giá trị khác, xóa giá trị không có trong tệp)", key="up_replace"
        )
        try:
            diff = store.preview(parsed, replace=replace)
        except StoreError as error:
            st.error(str(error), icon=":material/error:")
            st.stop()

        st.subheader("Xem trước")
        st.markdown(
            f"**{parsed.file}** — {parsed.rows_in_file} dòng, dạng {'dài' if parsed.layout == 'long' else 'rộng'}, "
            f"năm {', '.join(map(str, parsed.years))}, SHA-256 `{parsed.sha256[:16]}…`"
        )
        st.info(
            f"Danh mục đơn vị: **{UNIT_SET_LABELS[parsed.unit_set]}**. {parsed.unit_set_reason}", icon=":material/map:"
        )
        if parsed.unit_set == NEW_UNITS:
            st.caption(
                "Từ 01/07/2025: "
                + ref.merged_units_note("new:can-tho")
                + " Xếp hạng, nhóm và so sánh vùng của năm này tính trong 34 đơn vị mới."
            )
        # Confirmations belong to this exact file and choice: a new file asks again.
        confirm_key = f"{parsed.sha256[:16]}_{parsed.unit_set}_{replace}"
        units_ok = st.checkbox(
            f"Tôi xác nhận tệp dùng {UNIT_SET_LABELS[parsed.unit_set]}",
            key=f"up_units_ok_{confirm_key}",
            value=units_choice != "auto",
        )
        for warning in parsed.warnings:
            st.warning(warning, icon=":material/warning:")
        if parsed.renamed:
            st.caption("Tên được hiểu là: " + "; ".join(f"'{a}' → {b}" for a, b in parsed.renamed.items()))
        counts = diff.counts()
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Thêm mới", fmt.integer(counts["added"]))
        m2.metric("Thay đổi", fmt.integer(counts["changed"]))
        m3.metric("Xóa", fmt.integer(counts["removed"]))
        m4.metric("Giữ nguyên", fmt.integer(counts["unchanged"]))

        def cells(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
            out = pd.DataFrame(
                {"Năm": frame.year, "Tỉnh, thành phố": frame.unit_id.map(ref.unit_name), "Chỉ số": frame.measure}
            )
            for source, label in columns.items():
                out[label] = frame[source].map(lambda v: fmt.number(v, 4))
            return out

        if len(diff.changed):
            st.markdown("**Giá trị thay đổi**")
            changed = cells(diff.changed, {"old_value": "Giá trị đang lưu", "new_value": "Giá trị mới"})
            changed["Chênh lệch"] = (diff.changed.new_value - diff.changed.old_value).map(lambda v: fmt.signed(v, 4))
            common.dataframe(changed, key="up_changed")
        if len(diff.removed):
            st.markdown("**Giá trị sẽ bị xóa** (có trong dữ liệu đang lưu, không có trong tệp)")
            common.dataframe(cells(diff.removed, {"old_value": "Giá trị đang lưu"}), key="up_removed")
        if len(diff.added):
            with st.expander(f"{fmt.integer(len(diff.added))} giá trị thêm mới"):
                common.dataframe(cells(diff.added, {"new_value": "Giá trị mới"}), key="up_added")

        if not diff.has_changes:
            st.success("Không có thay đổi nào so với dữ liệu đang lưu; không cần ghi.", icon=":material/check:")
            st.stop()
        ready = units_ok
        if diff.needs_replace or (diff.existing_years and replace):
            years = ", ".join(map(str, diff.existing_years))
            if not replace:
                st.warning(
                    f"Năm {years} đã có dữ liệu và tệp thay đổi {counts['changed']} giá trị: "
                    "hãy chọn 'Thay thế dữ liệu đã có' nếu đúng ý.",
                    icon=":material/warning:",
                )
                ready = False
            else:
                ready &= st.checkbox(
                    f"Xác nhận lần hai: thay thế dữ liệu năm {years} "
                    f"({counts['changed']} giá trị đổi, {counts['removed']} giá trị xóa). "
                    "Có thể hoàn tác ở trang Lịch sử tải lên.",
                    key=f"up_replace_confirm_{confirm_key}",
                )
        if st.button("Ghi vào cơ sở dữ liệu", type="primary", disabled=not ready, key="up_commit"):
            try:
                result = store.commit_scores(parsed, replace=replace, user=user, expected_signature=diff.signature())
            except StoreError as error:
                st.error(str(error), icon=":material/error:")
                st.stop()
            finish(
                f"Đã ghi lượt tải lên số {result.upload_id}: thêm {result.added}, thay đổi {result.changed}, "
                f"xóa {result.removed} giá trị."
            )
        if not ready:
            st.caption("Nút ghi mở khi đã xác nhận danh mục đơn vị (và xác nhận thay thế nếu có).")

with tasks_tab:
    st.markdown(
        "Tệp nhiệm vụ có các cột như `data/tasks.csv` (xem data/TASKS.md): id, plan_id, section, title, "
        "text, dimensions, subdimensions, lead_units, coordinating_units, product, due, due_date. "
        "Danh sách trong một ô cách nhau bằng dấu `;`. Kế hoạch mới được thêm, không ghi đè kế hoạch khác."
    )
    upload = st.file_uploader("Tệp nhiệm vụ", type=["csv", "xlsx"], key=f"up_tasks_{state['up_nonce']}")
    if upload is not None:
        plans = {p["plan_id"]: p for p in common.plans().to_dict("records")}
        try:
            loaded = parse_tasks(upload.getvalue(), upload.name, ref, plans)
        except InvalidFile as error:
            show_problems(error)
            st.stop()
        if loaded.plan is None:
            st.info(f"Kế hoạch {loaded.plan_id} chưa có: nhập thông tin kế hoạch.", icon=":material/info:")
            with st.form("up_plan_form"):
                title = st.text_input("Tên kế hoạch")
                body = st.text_input("Cơ quan ban hành", value="UBND tỉnh Sóc Trăng")
                issued = st.date_input("Ngày ban hành", value=None, format="DD/MM/YYYY")
                target = st.number_input("Năm mục tiêu (năm khảo sát PAPI)", min_value=2011, step=1, value=None)
                province = st.text_input("Tỉnh, thành phố", value="Sóc Trăng")
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
                loaded.plan = parse_plan(details)
            except InvalidFile as plan_error:
                if submitted:
                    show_problems(plan_error)
                st.stop()
        st.subheader("Xem trước")
        st.markdown(
            f"**{loaded.plan_id}** — {loaded.plan['title']}: {len(loaded.tasks)} nhiệm vụ, "
            f"{loaded.task_measures.measure.nunique()} chỉ số được gắn."
        )
        for warning in loaded.warnings:
            st.warning(warning)
        common.dataframe(
            loaded.tasks[["task_id", "section_ref", "title", "due_text"]].rename(
                columns={"task_id": "Mã", "section_ref": "Mục", "title": "Nhiệm vụ", "due_text": "Thời hạn"}
            ),
            key="up_tasks_preview",
        )
        exists = loaded.plan_id in plans
        confirm = True
        if exists:
            confirm = st.checkbox(
                f"Kế hoạch {loaded.plan_id} đã có: xác nhận thay thế toàn bộ danh sách nhiệm vụ của kế hoạch này",
                key="up_tasks_replace",
            )
        if st.button("Ghi danh sách nhiệm vụ", type="primary", disabled=not confirm, key="up_tasks_commit"):
            try:
                upload_id = store.commit_tasks(loaded, user=user, replace=exists)
            except StoreError as error:
                st.error(str(error))
                st.stop()
            finish(f"Đã ghi {len(loaded.tasks)} nhiệm vụ của kế hoạch {loaded.plan_id} (lượt tải lên số {upload_id}).")

with templates_tab:
    st.markdown("Tệp mẫu có sẵn danh sách tỉnh, thành phố; điền điểm rồi tải lên ở thẻ **Điểm số**.")
    c1, c2 = st.columns(2)
    unit_set = c1.radio("Danh mục", [NEW_UNITS, OLD_UNITS], format_func=UNIT_SET_LABELS.get, key="tpl_units")
    latest = int(common.years().year.max())
    year = int(c2.number_input("Năm số liệu", min_value=2011, value=latest + 1, step=1, key="tpl_year"))
    for title, frame, key in (
        ("Mẫu dạng rộng (mỗi tỉnh một dòng)", template_wide(ref, unit_set, year), "tpl_wide"),
        ("Mẫu dạng dài (mỗi giá trị một dòng)", template_long(ref, unit_set, year), "tpl_long"),
    ):
        st.markdown(f"**{title}** — {len(frame)} dòng")
        common.downloads(frame, ["mau", key.split("_")[1], year, unit_set], key=key, sheet="Mẫu")
    st.markdown("**Mẫu danh sách nhiệm vụ** — các nhiệm vụ đang lưu, đúng các cột của tệp nhiệm vụ")
    common.downloads(to_file_frame(common.tasks()), ["mau", "nhiem-vu"], key="tpl_tasks", sheet="Nhiệm vụ")
