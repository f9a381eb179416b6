"""Dữ liệu: filter the stored scores by year, province, region and measure, and download them."""

import pandas as pd
import streamlit as st

from pages import common
from papi_analysis import fmt
from papi_analysis.domain import DIMENSIONS, TOTAL
from papi_analysis.tables import PROVINCE, REGION, YEAR, measure_order, scores_wide

ref = common.reference()
scores = common.scores()
view = common.current_view()
common.page_header("Dữ liệu PAPI")
st.caption("Điểm đã lưu, đúng như PAPI công bố (không ước tính, không điền số thiếu). Ô trống: PAPI không công bố.")

years = sorted(scores.year.unique(), reverse=True)
with st.container(border=True):
    c1, c2 = st.columns(2)
    chosen_years = c1.multiselect("Năm", years, default=[view.year], key="data_years", placeholder="Tất cả các năm")
    region_names = dict(zip(ref.regions.region_id, ref.regions.name_vi, strict=True))
    chosen_regions = c2.multiselect(
        "Vùng", list(region_names), format_func=region_names.get, key="data_regions", placeholder="Tất cả các vùng"
    )
    c3, c4 = st.columns(2)
    unit_options = sorted(scores.unit_id.unique(), key=common.unit_sort_key(ref))
    chosen_units = c3.multiselect(
        "Tỉnh, thành phố", unit_options, format_func=ref.unit_name, key="data_units", placeholder="Tất cả"
    )
    measure_options = measure_order(ref, scores.measure.unique())
    chosen_measures = c4.multiselect(
        "Chỉ số",
        measure_options,
        default=[TOTAL, *DIMENSIONS],
        key="data_measures",
        placeholder="Tất cả các chỉ số",
        format_func=lambda c: "TOTAL · Tổng hợp" if c == TOTAL else f"{c} · {ref.measure_name(c)}",
    )
    layout = st.radio(
        "Dạng bảng",
        ["wide", "long"],
        horizontal=True,
        key="data_layout",
        format_func={
            "wide": "Điểm (mỗi chỉ số một cột; tải lên lại được)",
            "long": "Điểm, xếp hạng, nhóm và thay đổi (mỗi dòng một chỉ số)",
        }.get,
    )

if layout == "wide":
    result = scores_wide(
        scores, ref, years=chosen_years, unit_ids=chosen_units, region_ids=chosen_regions, measures=chosen_measures
    )
    number_columns = [c for c in result.columns if c not in (YEAR, PROVINCE, REGION)]
    styled = result.style.format({c: lambda v: fmt.number(v, 4) for c in number_columns})
else:
    table = common.table(None)
    rows = table
    if chosen_years:
        rows = rows[rows.year.isin(chosen_years)]
    if chosen_units:
        rows = rows[rows.unit_id.isin(chosen_units)]
    if chosen_regions:
        rows = rows[rows.region_id.isin(chosen_regions)]
    if chosen_measures:
        rows = rows[rows.measure.isin(chosen_measures)]
    rows = rows.sort_values(["year", "measure", "national_rank"])
    result = pd.DataFrame(
        {
            YEAR: rows.year,
            PROVINCE: rows.unit_id.map(ref.unit_name),
            REGION: rows.region_id.map(region_names),
            "Chỉ số": rows.measure,
            "Điểm": rows.value,
            "Hạng toàn quốc": rows.national_rank.astype("Int64"),
            "Số tỉnh xếp hạng": rows.national_n.astype("Int64"),
            "Hạng trong vùng": rows.group_rank.astype("Int64"),
            "Số tỉnh trong vùng": rows.group_n.astype("Int64"),
            "Nhóm": rows.performance_group,
            "Năm so sánh": rows.previous_year,
            "Thay đổi điểm": rows.change,
            "Thay đổi hạng toàn quốc": rows.national_rank_change.astype("Int64"),
        }
    ).reset_index(drop=True)
    styled = result.style.format({"Điểm": lambda v: fmt.number(v, 4), "Thay đổi điểm": fmt.signed})

st.markdown(f"**{fmt.integer(len(result))} dòng**")
common.dataframe(styled, key="data_table", height=min(600, 38 + 35 * max(1, len(result))))

year_part = (
    str(chosen_years[0])
    if len(chosen_years) == 1
    else f"{min(chosen_years)}-{max(chosen_years)}"
    if chosen_years
    else "2011-nay"
)
parts = [year_part, *[region_names[r] for r in chosen_regions]]
if 0 < len(chosen_units) <= 3:
    parts += [ref.unit_name(u) for u in chosen_units]
if len(chosen_measures) == 1:
    parts.append(chosen_measures[0])
if layout == "long":
    parts.append("xep-hang")
common.downloads(result, parts, key="data_download", sheet="PAPI")
