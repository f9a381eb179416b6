"""So sánh: the comparison group for a year and a measure — ranking, heatmap, trends, changes."""

import streamlit as st

from pages import common
from papi_analysis import charts, fmt
from papi_analysis.domain import TOTAL, dimensions_for_year
from papi_analysis.tables import PROVINCE, change_table, heatmap_frame

view = common.current_view()
ref = common.reference()
table = view.table()
focus_name = ref.unit_name(view.unit_id)
common.page_header(f"So sánh: {view.comparison.label} — PAPI {view.year}")

measures = [TOTAL, *dimensions_for_year(view.year)]
labels = {m: ("Tổng hợp" if m == TOTAL else f"{m} {ref.measure(m)['short_vi']}") for m in measures}
measure = (
    st.segmented_control(
        "Chỉ số", measures, format_func=labels.get, default=TOTAL, key="cmp_measure", selection_mode="single"
    )
    or TOTAL
)
unit = (
    "điểm (thang "
    + (
        f"{len(dimensions_for_year(view.year))}–{10 * len(dimensions_for_year(view.year))}"
        if measure == TOTAL
        else "1–10"
    )
    + ")"
)

year_rows = table[(table.year == view.year) & (table.measure == measure)]
group_rows = year_rows[year_rows.unit_id.isin(view.comparison.unit_ids)].assign(
    name=lambda f: f.unit_id.map(ref.unit_name)
)
missing = [ref.unit_name(u) for u in view.comparison.unit_ids if u not in set(group_rows.unit_id)]
if missing:
    st.info(
        f"PAPI {view.year} không công bố {labels[measure]} của: {', '.join(missing)} — không đưa vào so sánh "
        "(không tính là 0).",
        icon=":material/info:",
    )
if group_rows.empty:
    st.warning("Không có tỉnh nào trong nhóm có điểm chỉ số này năm đã chọn.")
    st.stop()

st.subheader("Xếp hạng trong nhóm")
national_median = float(year_rows.value.median())
common.chart(
    charts.ranked_bar,
    group_rows,
    view.unit_id,
    national_median,
    f"{labels[measure]} — {view.comparison.label}, {view.year}",
    unit,
    key="cmp_bar",
)

st.subheader("Bản đồ nhiệt theo nhóm hiệu quả")
st.caption(
    "Màu ô là nhóm hiệu quả toàn quốc của từng chỉ số (Cao nhất, Trung bình cao, Trung bình thấp, Thấp nhất); "
    "số trong ô là điểm. Ô '—': PAPI không công bố."
)
cells = heatmap_frame(table, ref, view.year, view.comparison.unit_ids)
heat_labels = {m: ("PAPI" if m == TOTAL else m) for m in measures}
common.chart(
    charts.group_heatmap, cells, measures, heat_labels, f"{view.comparison.label}, {view.year}", key="cmp_heat"
)

st.subheader("Diễn biến qua các năm")
history = table[(table.measure == measure) & table.unit_id.isin(view.comparison.unit_ids)]
history = history.assign(series=history.unit_id.map(ref.unit_name))[["series", "year", "value"]]
if measure == TOTAL:
    st.caption(
        "Điểm tổng hợp đổi thang năm 2018 (6 → 8 chỉ số nội dung): đường được ngắt tại mốc này, "
        "không so sánh trực tiếp hai giai đoạn."
    )
common.chart(
    charts.trend, history, measure, focus_name, f"{labels[measure]} — {view.comparison.label}", unit, key="cmp_trend"
)

st.subheader("Thay đổi so với năm trước có dữ liệu")
changes = change_table(table, ref, view.year, measure, view.comparison.unit_ids)
if measure == TOTAL and view.year == 2018:
    st.caption("Năm 2018: không tính thay đổi điểm tổng hợp so với 2017 (khác thang điểm).")
styled = changes.style.format(
    {
        "Điểm": fmt.number,
        "Điểm năm so sánh": fmt.number,
        "Thay đổi điểm": fmt.signed,
        "Thay đổi hạng toàn quốc": lambda v: fmt.signed(v, 0),
        "Thay đổi hạng trong nhóm": lambda v: fmt.signed(v, 0),
    }
)
styled = styled.map(
    lambda g: (
        f"background-color:{charts.GROUP_COLOURS.get(g, '')};color:{charts.GROUP_TEXT_COLOURS.get(g, '')}"
        if g in charts.GROUP_COLOURS
        else ""
    ),
    subset=["Nhóm"],
)
common.dataframe(styled, key="cmp_changes", column_config={PROVINCE: st.column_config.TextColumn(pinned=True)})
st.caption("Bấm tiêu đề cột để sắp xếp. Thay đổi hạng dương là tăng bậc.")
common.downloads(
    changes.assign(**{"Chỉ số": labels[measure]}),
    [view.year, view.comparison.label, "thay-doi", measure],
    key="cmp_changes",
)
