"""The Nhiệm vụ page's draft of next year's plan (issue 22): the leader's target rank (ui/target_rank.py, in the URL)
and, if they wish, a target group per dimension; then the Word draft and the tasks file of the carried tasks,
each built only when its button is clicked. The draft carries the tasks of the plan chosen on the page when it
is the province's own."""

from __future__ import annotations

from datetime import date

import streamlit as st

from papi_analysis.domain import GROUPS
from papi_analysis.files import export
from papi_analysis.names import plain
from papi_analysis.present import plan_draft, report
from papi_analysis.present.report import ReportData
from papi_analysis.results.summary import ProvinceSummary
from ui import loaders, render, target_data, target_rank, view

DEFAULT_GOAL = "Giữ hoặc nâng nhóm (mặc định)"


def _group_goals(summary: ProvinceSummary) -> dict[str, str]:
    """A target group per dimension, chosen in a closed box; none chosen: keep or raise each group."""
    goals, ref = {}, loaders.reference()
    with st.expander("Nhóm mục tiêu từng chỉ số (không bắt buộc)"):
        columns = st.columns(2)
        for i, d in enumerate(summary.dimensions):
            chosen = columns[i % 2].selectbox(
                f"{d.code} · {ref.measure(d.code)['short_vi']} (năm {summary.year}: {d.performance_group})",
                ["", *GROUPS],
                format_func=lambda g: g or DEFAULT_GOAL,
                key=f"tasks_draft_group_{d.code}",
            )
            if chosen:
                goals[d.code] = chosen
    return goals


def _own_plan(plan_id: str, summary: ProvinceSummary) -> dict | None:
    plans = loaders.plans()
    plan = plans.set_index("plan_id").loc[plan_id].to_dict() | {"plan_id": plan_id}
    if plain(str(plan["province"])) != plain(summary.province):
        st.info(
            render.plain(f"Kế hoạch {plan_id} là của {plan['province']}: dự thảo cho {summary.province} không "
                         "chuyển tiếp nhiệm vụ của tỉnh khác."),
            icon=":material/info:",
        )  # fmt: skip
        return None
    return plan


def render_section(current: view.View, plan_id: str, today: date) -> None:
    summary = current.summary()
    st.subheader(f"Dự thảo kế hoạch năm {summary.year + 1}")
    st.caption(
        f"Bản Word theo mẫu Kế hoạch 120/KH-UBND: I. kết quả PAPI {summary.year}; II. mục tiêu từng chỉ số; III. nhiệm "
        "vụ, giải pháp theo chỉ số từ yếu nhất, nhiệm vụ chưa hoàn thành được chuyển tiếp; IV. trách nhiệm chủ trì, "
        "phối hợp; phụ lục phân công (thời gian để trống). Tệp nhiệm vụ chuyển tiếp tải lên lại được ở trang Tải dữ "
        "liệu lên khi kế hoạch được ban hành."
    )
    if not summary.status.has_scores:
        st.info(summary.message, icon=":material/info:")
        return
    goal = target_rank.goal(summary)
    groups = _group_goals(summary)
    plan = _own_plan(plan_id, summary)
    tasks, history = loaders.tasks(), loaders.statuses()
    results = ReportData(
        summary, current.table(), loaders.reference(), plan, tasks[tasks.plan_id == (plan_id if plan else None)],
        history[history.plan_id == plan_id], today,
    )  # fmt: skip
    data = plan_draft.DraftData(
        results, target_data.targets(current.comparison, current.unit_id, summary.year, goal), groups
    )
    word, csv = st.columns(2)
    word.download_button(
        "Tải dự thảo kế hoạch (Word)",
        data=lambda: plan_draft.draft_docx(data),
        file_name=plan_draft.file_name(data),
        mime=report.MIME,
        key="tasks_plan_draft",
        icon=":material/description:",
        on_click="ignore",
        help=f"Ban hành dưới tên {data.issuer.short_body} (đơn vị đang tồn tại ngày soạn thảo).",
    )
    csv.download_button(
        f"Tải tệp {len(data.carried)} nhiệm vụ chuyển tiếp (CSV)",
        data=lambda: plan_draft.tasks_file_bytes(data),
        file_name=plan_draft.tasks_file_name(data),
        mime=export.MIME["csv"],
        key="tasks_plan_draft_tasks",
        icon=":material/download:",
        on_click="ignore",
        disabled=data.carried.empty,
        help=f"Mã kế hoạch {data.plan_id}: thay bằng số, ký hiệu của kế hoạch khi ban hành, rồi tải lên.",
    )
