"""The scores upload's preview: what the file is (layout, sheets, years, unit set), what was skipped and why,
what was read below the scores (bounds, weighted aggregate, indicators, names), the warnings, and exactly what
would change — every value deleted listed, and the names."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import NEW_UNITS, UNIT_SET_LABELS
from papi_analysis.reading.context import Skipped
from papi_analysis.reading.ingest import ParsedScores, depth_note
from papi_analysis.reading.mapping import LAYOUT_LABELS
from papi_analysis.results.lineage import new_units_note
from papi_analysis.store.scores_upload import Preview
from papi_analysis.store.upload_diff import EXACT_DECIMALS, PRECISION_NOTE
from ui import loaders, render


def skipped(entries: list[Skipped]) -> None:
    """The rows and columns that are not data, each with why ("bỏ qua dòng 66 'Điểm cao nhất': dòng tổng hợp")."""
    if not entries:
        return
    with st.expander(f"{fmt.integer(len(entries))} dòng/cột không phải số liệu, không đọc"):
        st.text("\n".join(f"{str(entry)[:1].upper()}{str(entry)[1:]}" for entry in entries))


def describe(parsed: ParsedScores) -> None:
    st.subheader("Xem trước")
    sheet = ", trang tính " + ", ".join(f"'{s}'" for s in parsed.sheets) if parsed.sheets else ""
    st.text(
        f"{parsed.file}{sheet} — {parsed.rows_in_file} dòng, {LAYOUT_LABELS[parsed.layout]}, "
        f"năm {', '.join(map(str, parsed.years))}, SHA-256 {parsed.sha256[:16]}…"
    )
    doubt = "" if parsed.unit_set_certain else " Nhận biết chưa chắc chắn: hãy kiểm tra trước khi xác nhận."
    reason = render.plain(parsed.unit_set_reason)
    st.info(f"Danh mục đơn vị: **{UNIT_SET_LABELS[parsed.unit_set]}**. {reason}{doubt}", icon=":material/map:")
    if parsed.unit_set == NEW_UNITS:
        st.caption(new_units_note(loaders.reference()))


def depth(parsed: ParsedScores) -> None:
    """What the file holds beside the scores: bounds, the weighted aggregate, sub-dimensions, indicators."""
    if note := depth_note(parsed):
        st.caption(note)


def _cells(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    ref = loaders.reference()
    names = frame.unit_id.map(ref.unit_name)
    out = pd.DataFrame({"Năm": frame.year, "Tỉnh, thành phố": names, "Chỉ số": frame.measure})
    for source, label in columns.items():
        out[label] = frame[source].map(lambda v: fmt.number(v, 4))
    return out


def show_diff(shown: Preview) -> None:
    parsed, diff = shown.parsed, shown.diff
    for warning in shown.warnings:
        st.warning(render.plain(warning), icon=":material/warning:")
    if parsed.renamed:
        st.caption(render.plain("Tên được hiểu là: " + "; ".join(f"'{a}' → {b}" for a, b in parsed.renamed.items())))
    counts = diff.counts()
    for column, (label, key) in zip(
        st.columns(4),
        (("Thêm mới", "added"), ("Thay đổi", "changed"), ("Xóa", "removed"), ("Giữ nguyên", "unchanged")),
        strict=True,
    ):
        column.metric(label, fmt.integer(counts[key]))
    if diff.indicators is not None and diff.indicators.has_changes:
        st.caption(
            f"Trong đó chỉ tiêu: thêm {fmt.integer(len(diff.indicators.added))}, thay đổi "
            f"{fmt.integer(len(diff.indicators.changed))}, xóa {fmt.integer(len(diff.indicators.removed))}."
        )
    if len(diff.changed):
        st.markdown("**Giá trị thay đổi**")
        st.caption(PRECISION_NOTE)
        changed = _cells(diff.changed, {"old_value": "Giá trị đang lưu", "new_value": "Giá trị mới"})
        changed["Chênh lệch"] = (diff.changed.new_value - diff.changed.old_value).map(
            lambda v: fmt.signed_exact(v, EXACT_DECIMALS)
        )
        changed["Khoảng tin cậy mới"] = [
            "—" if pd.isna(lo) else f"{fmt.number(lo, 4)}–{fmt.number(hi, 4)}"
            for lo, hi in zip(diff.changed.new_ci_low, diff.changed.new_ci_high, strict=True)
        ]
        render.dataframe(changed, key="up_changed")
    if names := shown.names():
        st.caption(render.plain(f"Tên thay đổi: {names}."))
    if len(diff.removed):
        st.markdown("**Giá trị sẽ bị xóa** (có trong dữ liệu đang lưu, không có trong tệp)")
        render.dataframe(_cells(diff.removed, {"old_value": "Giá trị đang lưu"}), key="up_removed")
    if diff.indicators is not None and len(diff.indicators.removed):
        st.markdown("**Chỉ tiêu sẽ bị xóa**")
        removed = diff.indicators.removed.rename(columns={"code": "measure"})
        render.dataframe(_cells(removed, {"old_value": "Giá trị đang lưu"}), key="up_removed_indicators")
    if len(diff.added):
        with st.expander(f"{fmt.integer(len(diff.added))} giá trị thêm mới"):
            render.dataframe(_cells(diff.added, {"new_value": "Giá trị mới"}), key="up_added")
