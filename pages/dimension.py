"""Chỉ số nội dung: one dimension in depth — distribution, history, sub-dimensions, methodology."""

import pandas as pd
import streamlit as st

from pages import common
from papi_analysis import charts, fmt
from papi_analysis.domain import DIMENSIONS, EIGHT_DIMENSION_FROM, dimensions_for_year

view = common.current_view()
ref = common.reference()
table = view.table()
focus_name = ref.unit_name(view.unit_id)
common.page_header(f"Chỉ số nội dung — {focus_name}, PAPI {view.year}")

available = dimensions_for_year(view.year)
dimension = st.selectbox(
    "Chỉ số nội dung", DIMENSIONS, key="dim_code", format_func=lambda c: f"{c} · {ref.measure_name(c)}"
)
info = ref.measure(dimension)
with st.expander("Phương pháp: chỉ số này đo gì, thang điểm, tính so sánh", expanded=False):
    st.markdown(
        f"**{dimension} — {info['name_vi']}** ({info['name_en']})\n\n{info['description_vi']}\n\n"
        "Nhóm hiệu quả chia theo tứ phân vị điểm của năm trong các tỉnh có điểm: Cao nhất (≥ phân vị 75), "
        "Trung bình cao (50–75), Trung bình thấp (25–50), Thấp nhất (< 25). Xếp hạng theo điểm làm tròn "
        "2 chữ số thập phân như số liệu công bố."
    )
if dimension not in available:
    st.info(
        f"{dimension} {info['name_vi']} chỉ có từ năm {EIGHT_DIMENSION_FROM}; năm {view.year} PAPI có 6 chỉ số "
        "nội dung. Chọn năm từ 2018 để xem.",
        icon=":material/info:",
    )
    st.stop()

year_rows = table[(table.year == view.year) & (table.measure == dimension)].assign(
    name=lambda f: f.unit_id.map(ref.unit_name)
)
focus = year_rows[year_rows.unit_id == view.unit_id]
if focus.empty:
    st.info(f"PAPI {view.year} không công bố điểm {dimension} của {focus_name}.", icon=":material/info:")
else:
    f = focus.iloc[0]
    score, national, group = st.columns(3)
    score.metric("Điểm", fmt.number(f.value), border=True)
    national.metric("Xếp hạng toàn quốc", fmt.rank(f.national_rank, f.national_n), border=True)
    with group:
        st.markdown(f"**Nhóm**<br>{common.group_chip(f.performance_group)}", unsafe_allow_html=True)
        st.caption(
            f"Cách điểm cao nhất cả nước {fmt.number(f.gap_to_national_best)}; "
            f"cao nhất nhóm so sánh {fmt.number(f.gap_to_group_best)}."
        )

st.subheader("Phân bố điểm các tỉnh")
first = year_rows.iloc[0]
quartiles = {"P25": float(first.p25), "Trung vị": float(first.p50), "P75": float(first.p75)}
common.chart(
    charts.distribution,
    year_rows,
    view.unit_id,
    quartiles,
    f"{dimension} {info['short_vi']} — {len(year_rows)} tỉnh, thành phố có điểm, {view.year}",
    "điểm (thang 1–10)",
    key="dim_dist",
)

st.subheader("Diễn biến so với nhóm so sánh")
rows = table[table.measure == dimension]
group_rows = rows[rows.unit_id.isin(view.comparison.unit_ids)]
best = group_rows.groupby("year").value.max()
median = group_rows.groupby("year").value.median()
national_median = rows.groupby("year").value.median()
own = rows[rows.unit_id == view.unit_id].set_index("year").value
series = pd.concat(
    [
        pd.DataFrame({"series": focus_name, "year": own.index, "value": own.values}),
        pd.DataFrame({"series": f"Cao nhất {view.comparison.label}", "year": best.index, "value": best.values}),
        pd.DataFrame({"series": f"Trung vị {view.comparison.label}", "year": median.index, "value": median.values}),
        pd.DataFrame({"series": "Trung vị cả nước", "year": national_median.index, "value": national_median.values}),
    ]
)
if dimension in ("D1", "D3", "D5"):
    st.caption(
        "D1, D3, D5 được xây dựng lại năm 2016 và nhiều chỉ số thay đổi năm 2018: so sánh dài hạn chỉ để tham khảo."
    )
common.chart(
    charts.trend,
    series,
    dimension,
    focus_name,
    f"{dimension} {info['short_vi']}: {focus_name} và nhóm so sánh",
    "điểm (thang 1–10)",
    key="dim_history",
)
missing_years = sorted(set(rows.year) - set(own.index))
if missing_years:
    st.caption(f"Không có điểm của {focus_name} các năm: {', '.join(map(str, missing_years))} (PAPI không công bố).")

st.subheader("Chỉ số thành phần")
subs = [c for c in ref.measures.code if c.startswith(dimension + ".")]
sub_rows = table[(table.year == view.year) & table.measure.isin(subs)]
if sub_rows.empty:
    years_with = sorted(table[table.measure.isin(subs)].year.unique())
    hint = f" (có trong dữ liệu các năm {years_with[0]}–{years_with[-1]})" if years_with else ""
    st.info(
        f"Dữ liệu đang lưu không có điểm chỉ số thành phần của {dimension} năm {view.year}{hint}. "
        "Có thể tải lên từ bảng số liệu chi tiết của PAPI.",
        icon=":material/info:",
    )
else:
    own_subs = sub_rows[sub_rows.unit_id == view.unit_id].set_index("measure")
    group_subs = sub_rows[sub_rows.unit_id.isin(view.comparison.unit_ids)]
    display = pd.DataFrame(
        {
            "Mã": own_subs.index,
            "Chỉ số thành phần": [ref.measure_name(c) for c in own_subs.index],
            "Điểm": [fmt.number(v, 2) for v in own_subs.value],
            "Hạng toàn quốc": [
                fmt.rank(r, n) for r, n in zip(own_subs.national_rank, own_subs.national_n, strict=True)
            ],
            "Nhóm": [common.group_chip(g) for g in own_subs.performance_group],
            "Cao nhất nhóm so sánh": [
                fmt.number(group_subs[group_subs.measure == c].value.max()) for c in own_subs.index
            ],
        }
    )
    st.markdown(
        common.html_table(display, numeric={"Điểm", "Hạng toàn quốc", "Cao nhất nhóm so sánh"}, raw_html={"Nhóm"}),
        unsafe_allow_html=True,
    )
    k = len(ref.subdimensions_in_year(dimension, view.year))
    if k:
        st.caption(
            f"{k} chỉ số thành phần, mỗi chỉ số từ {fmt.number(1 / k)} đến {fmt.number(10 / k)} điểm; "
            f"tổng bằng điểm {dimension}."
        )

export_rows = series.rename(columns={"series": "Chuỗi", "year": "Năm", "value": "Điểm"})
common.downloads(export_rows, [dimension, focus_name, view.comparison.label], key="dim_series")
