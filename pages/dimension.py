"""Chỉ số nội dung: one dimension in depth — the focus province's figures, every province's score,
the history against the comparison group, the sub-dimensions, and what the dimension measures."""

import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import DIMENSIONS, EIGHT_DIMENSION_FROM, dimensions_for_year, scale_label
from papi_analysis.present import charts
from papi_analysis.present.prose import trend_caveat
from papi_analysis.results.trends import missing_years_note
from ui import loaders, print_view, render, shared, url_filters, view
from ui.dimension import dimension_targets, subdimensions

METHOD = (
    "Nhóm hiệu quả chia theo tứ phân vị điểm của năm trong các tỉnh có điểm: Cao nhất (≥ phân vị 75), "
    "Trung bình cao (50–75), Trung bình thấp (25–50), Thấp nhất (< 25). Xếp hạng theo điểm làm tròn "
    "2 chữ số thập phân như số liệu công bố."
)


def methodology(dimension: str) -> None:
    info = loaders.reference().measure(dimension)
    with st.expander("Phương pháp: chỉ số này đo gì, thang điểm, tính so sánh", expanded=False):
        st.markdown(
            f"**{dimension} — {info['name_vi']}** (tên trong báo cáo tiếng Anh của PAPI: {info['name_en']})\n\n"
            f"{info['description_vi']}\n\n{METHOD}"
        )


def focus_figures(year_rows, current: view.View, dimension: str) -> None:
    focus = year_rows[year_rows.unit_id == current.unit_id]
    name = loaders.reference().unit_name(current.unit_id)
    if focus.empty:
        st.info(f"PAPI {current.year} không công bố điểm {dimension} của {name}.", icon=":material/info:")
        return
    f = focus.iloc[0]
    score, national, group = st.columns(3)
    score.metric("Điểm", fmt.number(f.value), border=True)
    national.metric("Xếp hạng toàn quốc", fmt.rank(f.national_rank, f.national_n), border=True)
    with group:
        render.chip_line("Nhóm", f.performance_group)
        st.caption(
            f"Cách điểm cao nhất cả nước {fmt.number(f.gap_to_national_best)}; "
            f"cao nhất nhóm so sánh {fmt.number(f.gap_to_comparison_best)}."
        )


def distribution(year_rows, current: view.View, dimension: str, short: str) -> None:
    st.subheader("Phân bố điểm các tỉnh")
    first = year_rows.iloc[0]
    quartiles = {"P25": float(first.p25), "Trung vị": float(first.p50), "P75": float(first.p75)}
    title = f"{dimension} {short} — {len(year_rows)} tỉnh, thành phố có điểm, {current.year}"
    axis = scale_label(dimension, current.year)
    inputs = lambda: (year_rows, current.unit_id, quartiles, title, axis)
    image = ["phan-bo", current.year, dimension]
    shared.chart(charts.distribution, (current, dimension), inputs, key="dim_dist", image=image)


def history(current: view.View, dimension: str, short: str):
    st.subheader("Diễn biến so với nhóm so sánh")
    ref, table = loaders.reference(), current.table()
    history = loaders.comparison_history(current.comparison, current.unit_id, dimension)
    if caveat := trend_caveat(dimension):
        st.caption(caveat)
    title = f"{dimension} {short}: {history.focus} và nhóm so sánh"
    inputs = lambda: (history.frame, dimension, history.focus, title, history.predecessors, history.change_year)
    image = ["dien-bien", dimension, history.focus]
    shared.chart(charts.trend, (current, dimension), inputs, key="dim_history", image=image)
    if missing := missing_years_note(table, ref, current.unit_id, dimension):
        st.caption(missing)
    return history.frame


def chosen_dimension(current: view.View) -> str:
    """The dimension picker: it opens on the view's weakest dimension, a choice is kept in the URL (?dim=d3) and
    while the user looks at other pages."""
    ref = loaders.reference()
    weakest = current.summary().weakest_dimension or DIMENSIONS[0]
    kept = [url_filters.choice("dim", "dim_code", weakest, {d.lower(): d for d in DIMENSIONS})]
    url_filters.restore(kept)
    named = lambda c: f"{c} · {ref.measure_name(c)}"
    dimension = st.selectbox(
        "Chỉ số nội dung",
        DIMENSIONS,
        key="dim_code",
        format_func=named,
        placeholder="Chọn chỉ số nội dung",
        help="Trang mở ở chỉ số nội dung yếu nhất của tỉnh năm đang xem.",
    )
    url_filters.keep(kept)
    print_view.chosen("Chỉ số nội dung", named(dimension))
    return dimension


current = view.current()
ref = loaders.reference()
render.page_header(f"Chỉ số nội dung — {ref.unit_name(current.unit_id)}, PAPI {current.year}", printable=True)
dimension = chosen_dimension(current)
info = ref.measure(dimension)
methodology(dimension)
if dimension not in dimensions_for_year(current.year):
    st.info(
        f"{dimension} {info['name_vi']} chỉ có từ năm {EIGHT_DIMENSION_FROM}; năm {current.year} PAPI có 6 chỉ số "
        f"nội dung. Chọn năm từ {EIGHT_DIMENSION_FROM} để xem.",
        icon=":material/info:",
    )
else:
    year_rows = loaders.year_rows(current.comparison, current.year, dimension)
    year_rows = year_rows.assign(name=year_rows.unit_id.map(ref.unit_name))
    focus_figures(year_rows, current, dimension)
    distribution(year_rows, current, dimension, info["short_vi"])
    series = history(current, dimension, info["short_vi"])
    subdimensions.render_section(current, dimension)
    dimension_targets.render_section(current, dimension)
    export_rows = series.rename(columns={"series": "Chuỗi", "year": "Năm", "value": "Điểm"})
    names = [dimension, ref.unit_name(current.unit_id), current.comparison.label]
    render.downloads(export_rows, names, key="dim_series")
