"""So sánh: the comparison group for a year and a measure — ranking, heatmap, trends, changes."""

import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import TOTAL, scale_label
from papi_analysis.present import charts
from papi_analysis.present.prose import METHOD_CHANGE_NOTE, change_caveat, trend_caveat
from papi_analysis.present.tables import NOTE, PROVINCE, heatmap_frame, measure_labels, method_marks
from papi_analysis.results.comparison_group import provisional_regions_note
from papi_analysis.results.trends import first_year_of_new_units, group_history
from ui import loaders, print_view, render, shared, url_filters, view

CHANGE_FORMATS = {
    "Điểm": fmt.number,
    "Điểm năm so sánh": fmt.number,
    "Thay đổi điểm": fmt.signed,
    "Thay đổi hạng toàn quốc": lambda v: fmt.signed(v, 0),
    "Thay đổi hạng trong nhóm": lambda v: fmt.signed(v, 0),
}


def ranking(current: view.View, measure: str, label: str) -> bool:
    """The group's ranked bar with the national median; False when nobody in the group has a score."""
    result = loaders.group_ranking(current.comparison, current.year, measure)
    if result.unscored:
        st.info(
            f"PAPI {current.year} không công bố {label} của: {', '.join(result.unscored)} — không đưa vào so sánh "
            "(không tính là 0).",
            icon=":material/info:",
        )
    if result.rows.empty:
        st.warning("Không có tỉnh nào trong nhóm có điểm chỉ số này năm đã chọn.")
        return False
    st.subheader("Xếp hạng trong nhóm")
    title = f"{label} — {current.comparison.label}, {current.year}"
    axis = scale_label(measure, current.year)
    inputs = lambda: (result.rows, current.unit_id, result.national_median, title, axis)
    image = ["xep-hang", current.year, current.comparison.label, measure]
    shared.chart(charts.ranked_bar, (current, measure), inputs, key="cmp_bar", image=image)
    return True


def heatmap(current: view.View, measures: list[str]) -> None:
    st.subheader("Bản đồ nhiệt theo nhóm hiệu quả")
    st.caption(
        "Màu ô là nhóm hiệu quả toàn quốc của từng chỉ số (Cao nhất, Trung bình cao, Trung bình thấp, Thấp nhất); "
        "số trong ô là điểm. Ô '—': PAPI không công bố."
    )
    cells = lambda: heatmap_frame(current.table(), loaders.reference(), current.year, current.comparison.unit_ids)
    labels = {m: ("PAPI" if m == TOTAL else m) for m in measures}
    title = f"{current.comparison.label}, {current.year}"
    inputs = lambda: (cells(), measures, labels, title)
    image = ["ban-do-nhiet", current.year, current.comparison.label]
    shared.chart(charts.group_heatmap, (current, tuple(measures)), inputs, key="cmp_heat", image=image)


def trend(current: view.View, measure: str, label: str) -> None:
    st.subheader("Diễn biến qua các năm")
    if caveat := trend_caveat(measure):
        st.caption(caveat)
    title = f"{label} — {current.comparison.label}"

    def inputs() -> tuple:
        h = group_history(current.table(), loaders.reference(), current.unit_id, current.comparison, measure)
        return (h.frame, measure, h.focus, title, h.predecessors, h.change_year)

    image = ["dien-bien", current.comparison.label, measure]
    shared.chart(charts.trend, (current, measure), inputs, key="cmp_trend", image=image)


def changes(current: view.View, measure: str, label: str) -> None:
    st.subheader("Thay đổi so với năm trước có dữ liệu")
    frame = loaders.changes(current.comparison, current.year, measure)
    if caveat := change_caveat(measure, current.year, first_year_of_new_units(current.table()) == current.year):
        st.caption(caveat)
    if NOTE in frame:
        st.caption(render.plain(METHOD_CHANGE_NOTE))  # its '*' answers the '*' in the marked cells
    pinned = {PROVINCE: st.column_config.TextColumn(pinned=True)}
    marks = method_marks(frame)  # ' *' in every change that spans 2017→2018, as the note says
    render.table(frame, key="cmp_changes", formats=CHANGE_FORMATS, marked=marks, column_config=pinned)
    st.caption("Bấm tiêu đề cột để sắp xếp. Thay đổi hạng dương là tăng bậc; cột Năm so sánh: năm được so với.")
    parts = [current.year, current.comparison.label, "thay-doi", measure]
    render.downloads(frame.assign(**{"Chỉ số": label}), parts, key="cmp_changes")


current = view.current()
render.page_header(f"So sánh: {current.comparison.label} — PAPI {current.year}", printable=True)
if note := provisional_regions_note(loaders.reference(), current.comparison, current.unit_set):
    st.caption(note)
labels = measure_labels(loaders.reference(), current.year)
measures = list(labels)
kept = [url_filters.choice("measure", "cmp_measure", TOTAL, {m.lower(): m for m in measures})]
url_filters.restore(kept)
measure = st.segmented_control("Chỉ số", measures, format_func=labels.get, key="cmp_measure") or TOTAL
url_filters.keep(kept)
print_view.chosen("Chỉ số", labels[measure])
if ranking(current, measure, labels[measure]):
    heatmap(current, measures)
    trend(current, measure, labels[measure])
    changes(current, measure, labels[measure])
