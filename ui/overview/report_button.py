"""The overview's one-click Word draft of the results report: the inputs are the page's own (summary, rank
table, tasks, statuses); the file is built only when the button is clicked."""

from __future__ import annotations

import streamlit as st

from papi_analysis import times
from papi_analysis.present import report
from papi_analysis.results.summary import ProvinceSummary
from ui import loaders, view


def _inputs(current: view.View, summary: ProvinceSummary, plan: dict | None) -> report.ReportData:
    tasks, history = loaders.tasks(), loaders.statuses()
    plan_id = plan["plan_id"] if plan else None
    return report.ReportData(
        summary=summary,
        table=current.table(),
        ref=loaders.reference(),
        plan=plan,
        tasks=tasks[tasks.plan_id == plan_id],
        history=history[history.plan_id == plan_id],
        today=times.vietnam_today(),
    )


def render(current: view.View, summary: ProvinceSummary, plan: dict | None) -> None:
    """plan: the view's plan (View.plan), which the page has already looked up. The inputs are gathered only
    when the button is clicked."""
    plan_id = plan["plan_id"] if plan else None
    followed = f" và tình hình thực hiện kế hoạch {plan_id}" if plan_id else ""
    st.download_button(
        "Tải dự thảo báo cáo (Word)",
        data=lambda: report.report_docx(_inputs(current, summary, plan)),
        file_name=report.file_name(summary),
        mime=report.MIME,
        key="overview_report",
        icon=":material/description:",
        on_click="ignore",
        help=f"Báo cáo kết quả PAPI {summary.year}{followed}: bảng điểm, biểu đồ, chỉ số yếu, nhiệm vụ và đề xuất.",
    )
