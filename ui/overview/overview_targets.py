"""The overview's "what it takes" (issue 22): per dimension the points to the next group, the margin above its
own group and the places +0,10 would buy, where effort pays most first; the points to the leader's target rank
(ui/target_rank.py, in the URL); the waterfall of the year's change in the aggregate by dimension, refused in a
sentence across the 2018 break. The figures are papi_analysis.results.targets'; the words present/target_text's."""

from __future__ import annotations

import streamlit as st

from papi_analysis.domain import TOTAL, scale_label
from papi_analysis.present import charts
from papi_analysis.present.target_text import (
    assumption,
    figures,
    measure_label,
    payoff_sentence,
    refusal_sentence,
    regional_words,
    target_export,
    target_rows,
    total_goal_sentence,
)
from papi_analysis.results.summary import ProvinceSummary
from ui import loaders, print_view, render, shared, target_data, target_rank, view


def _lead(targets, ref, regional: str) -> None:
    """The aggregate's figures, its goal and where effort pays most, in one paragraph."""
    said = (
        [f"{measure_label(ref, TOTAL)}: {figures(targets.total, targets, with_goal=False)}."] if targets.total else []
    )
    said += [s for s in (total_goal_sentence(targets, regional), payoff_sentence(targets, ref)) if s]
    if said:
        st.markdown(render.plain(" ".join(said)))


def waterfall(current: view.View, summary: ProvinceSummary) -> None:
    """The year's change in the aggregate, dimension by dimension."""
    change = target_data.change_by_dimension(current.comparison, current.unit_id, current.year)
    years = f" {change.previous_year} → {change.year}" if change.previous_year else ""
    st.subheader(f"Thay đổi điểm tổng hợp{years} theo chỉ số")
    if sentence := refusal_sentence(change):
        st.info(sentence, icon=":material/block:")
        return
    ref = loaders.reference()
    names = {code: f"{code} {ref.measure_name(code)}" for code, _ in change.parts}
    title = f"{summary.province}: điểm tổng hợp {change.previous_year} và {change.year}, thay đổi của từng chỉ số"
    inputs = lambda: (change, names, title, scale_label(TOTAL, change.year))
    image = ["thay-doi-theo-chi-so", change.year, summary.province]
    shared.chart(charts.waterfall, (current, "waterfall"), inputs, key="ov_waterfall", image=image)
    st.caption("Điểm tổng hợp là tổng các chỉ số: mỗi cột giữa là thay đổi của một chỉ số (xanh: tăng, cam: giảm).")


def render_section(current: view.View, summary: ProvinceSummary) -> None:
    st.subheader("Cần gì để lên nhóm, lên hạng")
    st.caption(assumption(summary.year))
    goal = target_rank.goal(summary)
    targets = target_data.targets(current.comparison, current.unit_id, current.year, goal)
    ref, regional = loaders.reference(), regional_words(current.comparison)
    _lead(targets, ref, regional)
    # The overview's paper is two A4 pages (issue 21): it carries the paragraph above; the table and the
    # waterfall (the dimension table's "Thay đổi" drawn) stay on screen, with the way to them said on paper.
    with st.container(key=print_view.SCREEN_ONLY + "ov_targets"):
        rows = lambda: target_rows(targets, ref, regional=regional)
        shared.chip_table((current, goal, "targets"), rows, numeric={"Điểm"})
        render.downloads(
            lambda: target_export(targets, ref),
            [summary.year, summary.province, "can-gi-de-len-nhom"],
            key="ov_targets_dl",
            menu=True,
        )
        waterfall(current, summary)
    print_view.paper_line("Bảng từng chỉ số và biểu đồ thay đổi theo chỉ số: trên màn hình trang Tổng quan.")
