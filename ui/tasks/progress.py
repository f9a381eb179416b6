"""The Nhiệm vụ page's dimension views: progress of the tasks aimed at each weak dimension, the other
dimensions, and the coverage matrix. Whole-index tasks are always shown and counted apart."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from papi_analysis import fmt
from papi_analysis.plan.plan_tasks import (
    FEW_TASKS,
    GENERAL_LABEL,
    coverage_flag,
    coverage_matrix,
    is_general,
    specific_to,
)
from papi_analysis.plan.task_status import progress
from papi_analysis.plan.task_tables import TASK_COLUMNS, task_rows
from papi_analysis.present.prose import unscored_notes
from papi_analysis.results.summary import ProvinceSummary
from ui import loaders, print_view, render


def status_line(summary: ProvinceSummary, code: str, specific: int, general: int) -> str:
    """A dimension's group and ranks, and how many tasks aim at it (HTML: carries a chip)."""
    d = summary.dimension(code)
    status = (
        f"{render.group_chip(d.performance_group)} hạng {fmt.rank(d.national_rank, d.national_n)} toàn quốc, "
        f"{fmt.rank(d.comparison_rank, d.comparison_n)} trong nhóm"
        if d
        else "không có điểm năm này"
    )
    return f"{status} · {specific} nhiệm vụ riêng, {general} nhiệm vụ chung"


def _progress_bar(tasks: pd.DataFrame) -> None:
    done = progress(tasks)
    st.progress(done.done_share or 0.0, text=done.sentence())
    if done.overdue:
        st.caption(f"{done.overdue} nhiệm vụ quá hạn — xem thẻ Quá hạn.")


def weak_dimensions(summary: ProvinceSummary, chosen: pd.DataFrame, shown: list[str], unit: str | None) -> None:
    ref, general = loaders.reference(), chosen[is_general(chosen)]
    st.subheader(f"Chỉ số yếu của {summary.province} năm {summary.year}")
    weak = [c for c in summary.weak_dimensions if c in shown]
    if notes := unscored_notes(summary, measures=tuple(weak)):  # why a rank says x/12 in a group of 13
        st.caption(" ".join(notes))
    if not summary.status.has_scores:
        st.info(summary.message)
    elif not weak:
        st.success("Không có chỉ số nào (trong phạm vi lọc) thuộc nhóm Trung bình thấp hoặc Thấp nhất.")
    for code in weak:
        specific = specific_to(chosen, code)
        with st.container(border=True):
            line = status_line(summary, code, len(specific), len(general))
            st.markdown(f"#### {code} · {ref.measure_name(code)}<br><small>{line}</small>", unsafe_allow_html=True)
            if flag := coverage_flag(len(specific), True):
                extra = " (chỉ có nhiệm vụ chung cho toàn bộ Chỉ số PAPI)." if len(general) else "."
                st.warning(flag + " trong phạm vi lọc" + extra, icon=":material/flag:")
            if len(specific):
                _progress_bar(specific)
                render.text_table(task_rows(specific, unit))
    if len(general):
        with st.expander(f"{len(general)} nhiệm vụ chung cho toàn bộ Chỉ số PAPI (không tính vào chỉ số nào)"):
            _progress_bar(general)
            render.text_table(task_rows(general, unit))


def other_dimensions(summary: ProvinceSummary, chosen: pd.DataFrame, shown: list[str], unit: str | None) -> None:
    others = [c for c in shown if c not in summary.weak_dimensions]
    if not others:
        return
    ref, general = loaders.reference(), int(is_general(chosen).sum())
    st.subheader("Các chỉ số nội dung khác")
    rows = []
    for code in others:
        specific = specific_to(chosen, code)
        line = status_line(summary, code, len(specific), general)
        st.markdown(f"**{code} · {ref.measure_name(code)}** — {line}", unsafe_allow_html=True)
        rows.append(task_rows(specific, unit).assign(**{"Cho chỉ số": code}))
    with st.expander("Nhiệm vụ riêng của các chỉ số này"):
        order = ["Cho chỉ số", *TASK_COLUMNS]
        render.text_table(pd.concat(rows, ignore_index=True)[order])


def coverage(summary: ProvinceSummary, chosen: pd.DataFrame) -> None:
    st.subheader("Ma trận bao phủ: chỉ số × đơn vị chủ trì")
    st.caption(
        "Số nhiệm vụ riêng (trong phạm vi lọc) mỗi đơn vị chủ trì cho mỗi chỉ số nội dung; một nhiệm vụ có hai đơn vị "
        f"chủ trì được đếm ở cả hai. Nhiệm vụ chung cho toàn bộ Chỉ số PAPI được đếm riêng ở dòng cuối. ⚑ đánh dấu "
        f"chỉ số yếu có ít hơn {FEW_TASKS} nhiệm vụ riêng."
    )
    if chosen.empty:
        st.info("Không có nhiệm vụ nào khớp bộ lọc.")
        return
    ref, weak = loaders.reference(), summary.weak_dimensions
    matrix = coverage_matrix(chosen)
    specific_counts = [len(specific_to(chosen, c)) for c in matrix.index[:-1]]
    counts = [*specific_counts, int(is_general(chosen).sum())]
    flagged = {c for c, n in zip(matrix.index[:-1], specific_counts, strict=True) if coverage_flag(n, c in weak)}
    matrix.index = [
        f"{'⚑ ' if c in flagged else ''}{c} {ref.measure(c)['short_vi']}" + (" (yếu)" if c in weak else "")
        if c != GENERAL_LABEL
        else c
        for c in matrix.index
    ]
    matrix.insert(0, "Số nhiệm vụ", counts)
    matrix = matrix.rename_axis(index="Chỉ số nội dung", columns="Đơn vị chủ trì")  # headers, never "(index)"
    # On paper the units go down the page: a column per unit would not fit its width.
    printed = matrix.T.reset_index()
    render.dataframe(printed if print_view.active() else matrix, key="tasks_matrix", hide_index=False, printed=printed)
