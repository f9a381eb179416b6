"""Dữ liệu: filter the stored scores by year, province, region and measure, and download them."""

import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import DIMENSIONS, TOTAL
from papi_analysis.present.tables import (
    PROVINCE,
    REGION,
    YEAR,
    export_name_parts,
    measure_order,
    ranks_long,
    scores_wide,
)
from ui import loaders, render, view

LAYOUTS = {
    "wide": "Điểm (mỗi chỉ số một cột; tải lên lại được)",
    "long": "Điểm, xếp hạng, nhóm và thay đổi (mỗi dòng một chỉ số)",
}


def filters(year: int) -> dict:
    """The filters the user chose: years, regions, units, measures (empty: all)."""
    ref, scores = loaders.reference(), loaders.scores()
    with st.container(border=True):
        c1, c2 = st.columns(2)
        years = sorted(scores.year.unique(), reverse=True)
        chosen_years = c1.multiselect("Năm", years, default=[year], key="data_years", placeholder="Tất cả các năm")
        region_names = dict(zip(ref.regions.region_id, ref.regions.name_vi, strict=True))
        regions = c2.multiselect(
            "Vùng", list(region_names), format_func=region_names.get, key="data_regions", placeholder="Tất cả các vùng"
        )
        c3, c4 = st.columns(2)
        unit_options = sorted(scores.unit_id.unique(), key=ref.name_order)
        units = c3.multiselect(
            "Tỉnh, thành phố", unit_options, format_func=ref.unit_name, key="data_units", placeholder="Tất cả"
        )
        measures = c4.multiselect(
            "Chỉ số",
            measure_order(ref, scores.measure.unique()),
            default=[TOTAL, *DIMENSIONS],
            key="data_measures",
            placeholder="Tất cả các chỉ số",
            format_func=lambda c: "TOTAL · Tổng hợp" if c == TOTAL else f"{c} · {ref.measure_name(c)}",
        )
    return {"years": chosen_years, "region_ids": regions, "unit_ids": units, "measures": measures}


def result_table(chosen: dict, layout: str):
    """The table to show and download, and its Styler for display."""
    ref = loaders.reference()
    if layout == "wide":
        result = scores_wide(loaders.scores(), ref, **chosen)
        numbers = [c for c in result.columns if c not in (YEAR, PROVINCE, REGION)]
        return result, result.style.format({c: lambda v: fmt.number(v, 4) for c in numbers})
    result = ranks_long(loaders.table(), ref, **chosen)
    return result, result.style.format({"Điểm": lambda v: fmt.number(v, 4), "Thay đổi điểm": fmt.signed})


render.page_header("Dữ liệu PAPI")
st.caption("Điểm đã lưu, đúng như PAPI công bố (không ước tính, không điền số thiếu). Ô trống: PAPI không công bố.")
chosen = filters(view.current().year)
layout = st.radio("Dạng bảng", list(LAYOUTS), horizontal=True, key="data_layout", format_func=LAYOUTS.get)
result, styled = result_table(chosen, layout)
st.markdown(f"**{fmt.integer(len(result))} dòng**")
render.dataframe(styled, key="data_table", height=min(600, 38 + 35 * max(1, len(result))))
parts = export_name_parts(loaders.reference(), **chosen) + (["xep-hang"] if layout == "long" else [])
render.downloads(result, parts, key="data_download", sheet="PAPI")
