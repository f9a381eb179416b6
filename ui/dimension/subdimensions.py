"""The dimension page's depth: the focus unit's sub-dimensions (the year in view, or the nearest year that has
them) against its comparison group, with confidence-interval whiskers where stored, and the dimension's
indicators as a sortable table. The rules are in papi_analysis.present.depth; this only arranges them."""

from __future__ import annotations

import streamlit as st

from papi_analysis import fmt
from papi_analysis.present import charts, depth
from ui import depth_data, loaders, render, shared, url_filters, view


def _year(current: view.View, dimension: str) -> int | None:
    """The year to show, said when it is not the year in view; the analyst may pick another."""
    unit_set = str(loaders.reference().unit(current.unit_id)["unit_set"])
    years = depth_data.subdimension_years(dimension, unit_set)
    shown = depth.shown_year(years, current.year)
    if shown != current.year:
        stored = loaders.subdimension_years(dimension)
        hint = f" (có trong dữ liệu các năm {stored[0]}–{stored[-1]})" if stored else ""
        st.info(
            f"Dữ liệu đang lưu không có điểm chỉ số thành phần của {dimension} năm {current.year}{hint}. "
            "Có thể tải lên từ bảng số liệu chi tiết của PAPI." + (f" Dưới đây là năm {shown}." if shown else ""),
            icon=":material/info:",
        )
    if shown is None or len(years) < 2:
        return shown
    # In the URL (?parts_year=2019) and kept across pages; a year the next dimension lacks opens at its own.
    kept = [url_filters.choice("parts_year", "dim_parts_year", shown, {str(y): y for y in years})]
    url_filters.restore(kept)
    year = st.selectbox("Năm của chỉ số thành phần", years[::-1], key="dim_parts_year")
    url_filters.keep(kept)
    return year


def _chart(current: view.View, dimension: str, year: int, count: int) -> None:
    name = loaders.reference().unit_name(current.unit_id)
    label = current.comparison.label
    title = f"{dimension}: chỉ số thành phần của {name} so với {label}, {year}"
    axis = depth.parts_axis(count)
    rows = lambda: (
        depth_data.subdimension_profile(current.comparison, current.unit_id, dimension, year),
        name,
        label,
        title,
        axis,
    )
    image = ["chi-so-thanh-phan", year, dimension, name]
    shared.chart(charts.subdimension_profile, (current, dimension, year), rows, key="dim_parts_chart", image=image)


def _indicators(current: view.View, dimension: str, year: int) -> None:
    name = loaders.reference().unit_name(current.unit_id)
    rows = depth_data.indicator_rows(current.comparison, current.unit_id, dimension, year, name)
    if rows.empty:
        st.caption(f"Dữ liệu đang lưu không có chỉ tiêu của {dimension} năm {year}.")
        return
    st.markdown(f"**Chỉ tiêu của {dimension}, {year}** — bấm tiêu đề cột để sắp xếp")
    numbers = [c for c in rows.columns if c not in ("Mã", depth.INDICATOR, depth.PART, depth.UNIT)]
    styled = rows.style.format({c: lambda v: fmt.number(v) for c in numbers})
    render.dataframe(styled, key="dim_indicators")
    st.caption(
        "Chỉ tiêu không phải điểm: giá trị cao hơn không phải lúc nào cũng tốt hơn (ví dụ tỷ lệ phải chi "
        "thêm), nên không xếp hạng hay chia nhóm."
    )
    render.downloads(rows, [dimension, year, name, "chi-tieu"], key="dim_indicators_download")


def render_section(current: view.View, dimension: str) -> None:
    st.subheader("Chỉ số thành phần")
    year = _year(current, dimension)
    if year is None:
        return
    rows = loaders.subdimension_rows(current.comparison, current.unit_id, dimension, year)
    if rows.empty:
        name = loaders.reference().unit_name(current.unit_id)
        st.info(f"PAPI {year} không công bố điểm chỉ số thành phần {dimension} của {name}.", icon=":material/info:")
    else:
        k = max(
            len(loaders.reference().subdimensions_in_year(dimension, year)), len(rows)
        )  # the year's, not the unit's
        _chart(current, dimension, year, k)
        render.chip_table(rows, numeric={"Điểm", "Hạng toàn quốc", "Cao nhất nhóm so sánh", "Trung vị nhóm so sánh"})
        whole = f"tổng bằng điểm {dimension}" if len(rows) == k else f"PAPI công bố {len(rows)}/{k} cho tỉnh này"
        st.caption(f"{k} chỉ số thành phần, mỗi chỉ số từ {fmt.number(1 / k)} đến {fmt.number(10 / k)} điểm; {whole}.")
    _indicators(current, dimension, year)
