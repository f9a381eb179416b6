"""Dữ liệu: filter the stored scores by year, province, region and measure, and download them."""

import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import DIMENSIONS, TOTAL
from papi_analysis.present.tables import (
    AGGREGATE_WORDS,
    PROVINCE,
    REGION,
    YEAR,
    export_name_parts,
    measure_order,
    method_marks,
    ranks_long,
    scores_wide,
)
from ui import loaders, render, url_filters, view

LAYOUTS = {
    "wide": "Điểm (mỗi chỉ số một cột; tải lên lại được)",
    "long": "Điểm, xếp hạng, nhóm và thay đổi (mỗi dòng một chỉ số)",
}


def url_kept(year: int, years: list[int], regions: list[str], units: list[str], measures: list[str]) -> list:
    """The page's filters in the URL (?years=2022,2021&regions=…&units=old:soc-trang&measures=total,d1&layout=long)
    and kept while the user looks at other pages; the years follow the view's year until chosen."""
    lower = lambda values: {str(v).casefold(): v for v in values}
    return [
        url_filters.choices("years", "data_years", [year], lower(years)),
        url_filters.choices("regions", "data_regions", [], lower(regions)),
        url_filters.choices("units", "data_units", [], lower(units)),
        url_filters.choices("measures", "data_measures", [TOTAL, *DIMENSIONS], lower(measures)),
        url_filters.choice("layout", "data_layout", "wide", lower(LAYOUTS)),
    ]


def filters(year: int) -> tuple[dict, list]:
    """The filters the user chose: years, regions, units, measures (empty: all); and their URL filters."""
    ref, scores = loaders.reference(), loaders.scores()
    years = sorted(scores.year.unique(), reverse=True)
    region_names = dict(zip(ref.regions.region_id, ref.regions.name_vi, strict=True))
    unit_options = sorted(scores.unit_id.unique(), key=ref.name_order)
    measure_options = measure_order(ref, scores.measure.unique())
    kept = url_kept(year, [int(y) for y in years], list(region_names), unit_options, measure_options)
    url_filters.restore(kept)
    with st.container(border=True):
        c1, c2 = st.columns(2)
        chosen_years = c1.multiselect("Năm", years, key="data_years", placeholder="Tất cả các năm")
        regions = c2.multiselect(
            "Vùng", list(region_names), format_func=region_names.get, key="data_regions", placeholder="Tất cả các vùng"
        )
        c3, c4 = st.columns(2)
        units = c3.multiselect(
            "Tỉnh, thành phố", unit_options, format_func=ref.unit_name, key="data_units", placeholder="Tất cả"
        )
        measures = c4.multiselect(
            "Chỉ số",
            measure_options,
            key="data_measures",
            placeholder="Tất cả các chỉ số",
            format_func=lambda c: "Tổng hợp" if c == TOTAL else f"{c} · {ref.measure_name(c)}",
        )
    return {"years": chosen_years, "region_ids": regions, "unit_ids": units, "measures": measures}, kept


def on_screen(frame):
    """The aggregate named in words on screen ('Tổng hợp', 'Tổng hợp ci_low'); the downloads keep the code TOTAL
    that the upload reads back."""

    def named(text: object) -> object:
        for code, words in AGGREGATE_WORDS.items():
            if text == code or str(text).startswith(code + " "):
                return words + str(text).removeprefix(code)
        return text

    shown = frame.rename(columns=named)
    return shown.assign(**{"Chỉ số": shown["Chỉ số"].map(named)}) if "Chỉ số" in shown else shown


def result_table(chosen: dict, layout: str):
    """The table to show and download, and its Styler for display."""
    ref = loaders.reference()
    if layout == "wide":
        result = scores_wide(loaders.scores(), ref, **chosen)
        numbers = [c for c in on_screen(result).columns if c not in (YEAR, PROVINCE, REGION)]
        return result, on_screen(result).style.format({c: lambda v: fmt.number(v, 4) for c in numbers})
    result = ranks_long(loaders.table(), ref, **chosen)
    formats = {"Điểm": lambda v: fmt.number(v, 4), "Thay đổi điểm": fmt.signed}
    shown = on_screen(result)
    return result, render.mark_cells(shown.style.format(formats), formats, method_marks(shown))


render.page_header("Dữ liệu PAPI")
st.caption("Điểm đã lưu, đúng như PAPI công bố (không ước tính, không điền số thiếu). Ô trống: PAPI không công bố.")
chosen, kept = filters(view.current().year)
layout = st.radio("Dạng bảng", list(LAYOUTS), horizontal=True, key="data_layout", format_func=LAYOUTS.get)
url_filters.keep(kept)
result, styled = result_table(chosen, layout)
st.markdown(f"**{fmt.integer(len(result))} dòng**")
render.dataframe(styled, key="data_table", height=min(600, 38 + 35 * max(1, len(result))))
parts = export_name_parts(loaders.reference(), **chosen) + (["xep-hang"] if layout == "long" else [])
render.downloads(result, parts, key="data_download", sheet="PAPI")
