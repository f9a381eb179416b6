"""The dimension page's "what it takes" (issue 22): the dimension's points to the next group, its margin, the
places +0,10 would buy and the points to the leader's target rank (ui/target_rank.py, in the URL); its
sub-dimensions where stored, then every dimension, where effort pays most first."""

from __future__ import annotations

import streamlit as st

from papi_analysis.present.target_text import assumption, figures, regional_words, target_rows
from ui import loaders, render, shared, target_data, target_rank, view


def render_section(current: view.View, dimension: str) -> None:
    st.subheader("Cần gì để lên nhóm, lên hạng")
    summary, ref = current.summary(), loaders.reference()
    st.caption(assumption(current.year))
    goal = target_rank.goal(summary)
    targets = target_data.targets(current.comparison, current.unit_id, current.year, goal)
    focus, regional = targets.measure(dimension), regional_words(current.comparison)
    if focus is None:
        st.info(f"PAPI {current.year} không công bố điểm {dimension} của {summary.province}: không tính được.")
        return
    st.markdown(render.plain(f"{dimension} {ref.measure(dimension)['short_vi']}: {figures(focus, targets, regional)}."))
    if parts := targets.subdimensions(dimension):
        st.markdown(f"**Chỉ số thành phần của {dimension}**, nơi nỗ lực có lợi nhất trước")
        rows = lambda: target_rows(targets, ref, parts, regional)
        shared.chip_table((current, goal, dimension, "part_targets"), rows, numeric={"Điểm"})
    st.markdown("**Các chỉ số nội dung**, nơi nỗ lực có lợi nhất trước (nhiều bậc nhất cho mỗi 0,10 điểm)")
    rows = lambda: target_rows(targets, ref, regional=regional)
    shared.chip_table((current, goal, "targets"), rows, numeric={"Điểm"})
