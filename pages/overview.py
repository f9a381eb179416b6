"""Tổng quan: the focus province's year at a glance — score, ranks, group, the dimensions, the
paragraph for the plan, the profile against the comparison group."""

import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import TOTAL
from papi_analysis.present import charts, report, tables
from papi_analysis.present.prose import (
    METHOD_CHANGE_NOTE,
    best_gap,
    change_note,
    dimension_notes,
    median_gap,
    rounding_note,
    since_short,
    summary_paragraph,
    unscored_notes,
)
from papi_analysis.present.sparkline import sparkline_html
from papi_analysis.results.summary import ProvinceSummary
from papi_analysis.results.trends import unit_history
from ui import copy_text, depth_data, loaders, print_view, render, shared, view
from ui.overview import overview_targets, report_button


def headline(summary: ProvinceSummary, history: list[tuple[int, float]]) -> None:
    """Four cards: the aggregate (with its line over the era's years), the national rank, the rank in the
    comparison group, the group."""
    total, comparison = summary.total, summary.comparison
    since = since_short(total.previous_year, summary.year)
    score_delta = render.metric_delta(total.change, "điểm") if total.comparable else {}
    score, national, in_group, group = st.columns(4)
    with score.container(border=True, key="ov_score"):
        st.metric("Điểm tổng hợp", total.score_display, delta_description=since, **score_delta)
        if len(history) > 1:
            st.html(sparkline_html(history, summary.year, "Điểm tổng hợp"))
    national.metric(
        "Xếp hạng toàn quốc",
        fmt.rank(total.national_rank, total.national_n),
        border=True,
        delta_description=since,
        **render.metric_delta(total.national_rank_change, "bậc"),
    )
    in_group.metric(
        "Xếp hạng trong vùng" if comparison.is_region else "Xếp hạng trong nhóm",
        fmt.rank(total.comparison_rank, total.comparison_n),
        border=True,
        delta_description=since,
        help=f"Trong {comparison.label}: {', '.join(summary.comparison_members)}.",
        **render.metric_delta(total.comparison_rank_change, "bậc"),
    )
    with group:
        render.chip_line("Nhóm (toàn quốc)", total.performance_group)
        gaps = [best_gap(total.gap_to_national_best), median_gap(total.gap_to_national_median)]
        st.caption(f"{'; '.join(g for g in gaps if g).capitalize()}.")
    if summary.scale_note:
        st.info(summary.scale_note, icon=":material/compare_arrows:")
    if note := depth_data.overlap_note(summary.comparison, summary.unit_id, summary.year):
        st.caption(note)
    if not total.comparable:
        st.caption(render.plain(METHOD_CHANGE_NOTE))  # its "*" answers the "*" after the change
    if notes := unscored_notes(summary, measures=(TOTAL,)):
        st.caption(" ".join(notes))


def lineage(summary: ProvinceSummary, current: view.View) -> None:
    """A new unit: the old provinces it was formed from (their last results stand in for the change its
    first year cannot have) and the aggregate's trend across the change."""
    if summary.first_after_change:
        st.info(change_note(summary), icon=":material/merge:")
        st.subheader("Kết quả trước khi sắp xếp")
        render.chip_table(tables.predecessor_rows(summary), numeric={"Điểm tổng hợp", "Xếp hạng toàn quốc"})
    title = f"Điểm tổng hợp qua các năm: {summary.province}"  # the legend names the old provinces

    def inputs() -> tuple:  # built once per view and write (shared.chart), not on every run
        history = unit_history(current.table(), loaders.reference(), current.unit_id, current.year)
        return history.frame, TOTAL, history.focus, title, history.predecessors, history.change_year

    shared.chart(charts.trend, (current,), inputs, key="ov_lineage", image=["dien-bien", summary.province])


def dimension_table(summary: ProvinceSummary) -> None:
    st.subheader("Các chỉ số nội dung")
    rows = lambda: tables.dimension_rows(summary)
    shared.chip_table((view.current(),), rows, numeric={"Điểm", "Toàn quốc", "Trong nhóm", "Thay đổi"})
    for note in dimension_notes(summary):
        st.caption(render.plain(note))
    if notes := unscored_notes(summary, measures=tuple(d.code for d in summary.dimensions)):
        st.caption(" ".join(notes))  # why a rank says x/62 or x/12
    if summary.weak_dimensions:
        ref = loaders.reference()
        names = ", ".join(f"{c} {ref.measure(c)['short_vi']}" for c in summary.weak_dimensions)
        st.markdown(f"**Chỉ số yếu** (nhóm Trung bình thấp, Thấp nhất): {names}.")
        label = "Xem trang Nhiệm vụ: nhiệm vụ nào đang nhắm vào các chỉ số này"
        render.page_link("pages/tasks.py", label, icon=":material/task_alt:")


def plan_paragraph(summary: ProvinceSummary, plan: dict | None) -> None:
    st.subheader("Đoạn tóm tắt cho kế hoạch")
    print_view.screen_note("Văn bản theo mẫu mục I của kế hoạch cải thiện PAPI, để dán vào kế hoạch năm sau.")
    paragraph = summary_paragraph(summary)
    with st.container(border=True):
        st.markdown(paragraph)
    if note := rounding_note(summary, report.plan_quoting(plan, summary)):
        st.caption(note)  # beside the paragraph, not in it: what is pasted stays the result itself
    copy_text.button(paragraph)


def profile(summary: ProvinceSummary, current: view.View) -> None:
    st.subheader("Hồ sơ chỉ số nội dung")
    title = f"{summary.province} so với trung bình nhóm và cao nhất cả nước, {summary.year}"
    radar = lambda: tables.radar_frame(current.table(), loaders.reference(), summary)
    inputs = lambda: (radar(), summary.province, summary.comparison.label, title)
    shared.chart(charts.radar, (current,), inputs, key="radar", image=["ho-so", summary.year, summary.province])
    rows = lambda: tables.dimension_export(summary)  # built only when a download is clicked
    render.downloads(rows, [summary.year, summary.province, "chi-so-noi-dung"], key="overview", menu=True)


current = view.current()
summary = current.summary()
render.page_header(f"{summary.province} — PAPI {current.year}", printable=True)
st.caption(
    f"So sánh với: {current.comparison.label} ({len(current.comparison.unit_ids)} tỉnh, thành phố) · "
    f"Thang điểm tổng hợp năm {current.year}: {summary.scale} điểm"
)
if not summary.status.has_scores:
    st.info(summary.message, icon=":material/info:")
    if summary.before_change:
        lineage(summary, current)
else:
    if summary.total:
        headline(summary, loaders.history(current.comparison, current.unit_id, current.year))
    else:
        st.warning(summary.message, icon=":material/warning:")
    if summary.before_change:
        lineage(summary, current)
    dimension_table(summary)
    overview_targets.render_section(current, summary)
    plan = current.plan()  # the plan that follows these results, if the province has one
    plan_paragraph(summary, plan)
    report_button.render(current, summary, plan)
    profile(summary, current)
