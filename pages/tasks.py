"""Nhiệm vụ: the improvement plan's tasks next to the weak dimensions, with coverage by lead unit."""

import pandas as pd
import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import DIMENSIONS
from papi_analysis.summary import ProvinceSummary
from papi_analysis.tasks import (
    NO_DATE,
    RECURRING,
    coverage_flag,
    coverage_matrix,
    default_plan,
    filter_tasks,
    is_general,
    specific_to,
    tasks_per_dimension,
)
from ui import data, render, view

TASK_COLUMNS = ["Mã", "Mục", "Nhiệm vụ", "Chỉ số", "Đơn vị chủ trì", "Thời hạn"]


def task_rows(tasks: pd.DataFrame) -> pd.DataFrame:
    columns = [
        tasks.task_id,
        tasks.section_ref,
        tasks.title,
        tasks.measures.map(", ".join),
        tasks.lead,
        tasks.due_display,
    ]
    return pd.DataFrame(dict(zip(TASK_COLUMNS, columns, strict=True)))


def filters(plans: pd.DataFrame, year: int) -> tuple[str, dict, pd.DataFrame]:
    """The plan and the filters chosen; returns the plan id, the filters and the plan's tasks."""
    ref = data.reference()
    titles = {p.plan_id: f"{p.plan_id} — {p.title}" for p in plans.itertuples()}
    plan_ids = plans.plan_id.tolist()
    with st.container(border=True):
        st.markdown("**Lọc nhiệm vụ**")
        c1, c2, c3, c4 = st.columns(4)
        index = plan_ids.index(default_plan(plans, year))
        plan_id = c1.selectbox("Kế hoạch", plan_ids, index=index, format_func=titles.get, key="tasks_plan")
        plan_tasks = filter_tasks(data.tasks(), plan_id=plan_id)
        short = lambda c: "Tất cả" if c is None else f"{c} {ref.measure(c)['short_vi']}"
        dimension = c2.selectbox("Chỉ số nội dung", [None, *DIMENSIONS], key="tasks_dimension", format_func=short)
        units = sorted({u for us in plan_tasks.lead_units for u in us})
        lead = c3.selectbox("Đơn vị chủ trì", [None, *units], key="tasks_unit", format_func=lambda u: u or "Tất cả")
        periods = sorted(set(plan_tasks.due_period), key=lambda p: (p in (RECURRING, NO_DATE), p))
        period = c4.selectbox("Thời hạn", [None, *periods], key="tasks_period", format_func=lambda p: p or "Tất cả")
    return plan_id, {"dimension": dimension, "lead_unit": lead, "period": period}, plan_tasks


def plan_caption(plan: pd.Series, count: int, name: str, year: int) -> None:
    st.caption(
        render.plain(
            f"{plan.title} — {plan.issuing_body}, ngày {fmt.day(plan.issued_on)}; năm mục tiêu {plan.target_year}. "
            f"{count} nhiệm vụ."
        )
    )
    if plan.province != name:
        st.info(
            render.plain(f"Kế hoạch này của {plan.province}; tỉnh đang xem là {name}. ")
            + f"Nhóm hiệu quả bên dưới là của {name}.",
            icon=":material/info:",
        )
    if plan.target_year != year + 1:
        st.caption(f"Kế hoạch nhắm tới PAPI {plan.target_year}; đang xem kết quả PAPI {year}.")


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


def weak_dimensions(summary: ProvinceSummary, chosen: pd.DataFrame, shown: list[str]) -> None:
    ref, general = data.reference(), int(is_general(chosen).sum())
    st.subheader(f"Chỉ số yếu của {summary.province} năm {summary.year}")
    weak = [c for c in summary.weak_dimensions if c in shown]
    if not summary.status.has_scores:
        st.info(summary.message)
    elif not weak:
        st.success("Không có chỉ số nào (trong phạm vi lọc) thuộc nhóm Trung bình thấp hoặc Thấp nhất.")
    for code in weak:
        specific = specific_to(chosen, code)
        with st.container(border=True):
            line = status_line(summary, code, len(specific), general)
            st.markdown(f"#### {code} · {ref.measure_name(code)}<br><small>{line}</small>", unsafe_allow_html=True)
            if flag := coverage_flag(len(specific), True):
                extra = " (chỉ có nhiệm vụ chung cho toàn bộ Chỉ số PAPI)." if general else "."
                st.warning(flag + extra, icon=":material/flag:")
            if len(specific):
                column_config = {"Nhiệm vụ": st.column_config.TextColumn(width="large")}
                render.dataframe(task_rows(specific), key=f"tasks_{code}", column_config=column_config)
    if general:
        with st.expander(f"{general} nhiệm vụ chung cho toàn bộ Chỉ số PAPI (áp dụng cho mọi chỉ số)"):
            render.dataframe(task_rows(chosen[is_general(chosen)]), key="tasks_general")


def other_dimensions(summary: ProvinceSummary, chosen: pd.DataFrame, shown: list[str]) -> None:
    others = [c for c in shown if c not in summary.weak_dimensions]
    if not others:
        return
    ref, general = data.reference(), int(is_general(chosen).sum())
    st.subheader("Các chỉ số nội dung khác")
    rows = []
    for code in others:
        specific = specific_to(chosen, code)
        line = status_line(summary, code, len(specific), general)
        st.markdown(f"**{code} · {ref.measure_name(code)}** — {line}", unsafe_allow_html=True)
        rows.append(task_rows(specific).assign(**{"Cho chỉ số": code}))
    with st.expander("Nhiệm vụ riêng của các chỉ số này"):
        order = ["Cho chỉ số", *TASK_COLUMNS]
        render.dataframe(pd.concat(rows, ignore_index=True), key="tasks_others", column_order=order)


def coverage(summary: ProvinceSummary, chosen: pd.DataFrame) -> None:
    st.subheader("Ma trận bao phủ: chỉ số × đơn vị chủ trì")
    st.caption(
        "Số nhiệm vụ (trong phạm vi lọc) mỗi đơn vị chủ trì cho mỗi chỉ số nội dung; một nhiệm vụ có hai đơn vị "
        "chủ trì được đếm ở cả hai. ⚑ đánh dấu chỉ số yếu có ít hơn 3 nhiệm vụ riêng."
    )
    if chosen.empty:
        st.info("Không có nhiệm vụ nào khớp bộ lọc.")
        return
    ref, weak = data.reference(), summary.weak_dimensions
    matrix = coverage_matrix(chosen)
    specific_counts = tasks_per_dimension(chosen[~is_general(chosen)])
    flagged = {c for c in matrix.index if coverage_flag(int(specific_counts[c]), c in weak)}
    matrix.index = [
        f"{'⚑ ' if c in flagged else ''}{c} {ref.measure(c)['short_vi']}" + (" (yếu)" if c in weak else "")
        for c in matrix.index
    ]
    matrix.insert(0, "Tổng số nhiệm vụ", tasks_per_dimension(chosen).values)
    matrix.insert(1, "Nhiệm vụ riêng", specific_counts.values)
    render.dataframe(matrix, key="tasks_matrix", hide_index=False)


def task_list(chosen: pd.DataFrame, plan_id: str, chosen_filters: dict) -> None:
    st.subheader("Danh sách nhiệm vụ (theo bộ lọc)")
    full = pd.DataFrame(
        {
            "Kế hoạch": chosen.plan_id,
            "Mã": chosen.task_id,
            "Mục": chosen.section_ref,
            "Nhiệm vụ": chosen.title,
            "Nội dung": chosen.text,
            "Chỉ số nội dung": chosen.dimensions.map(";".join),
            "Chỉ số thành phần": chosen.subdimensions.map(";".join),
            "Đơn vị chủ trì": chosen.lead,
            "Đơn vị phối hợp": chosen.coordinating,
            "Sản phẩm": chosen["product"].fillna(""),
            "Thời hạn": chosen.due_text.fillna(""),
            "Hạn (ngày)": [fmt.day(d) if pd.notna(d) else "" for d in chosen.due_date],
        }
    )
    render.dataframe(full.drop(columns=["Nội dung"]), key="tasks_full")
    parts = ["nhiem-vu", plan_id, *chosen_filters.values()]
    render.downloads(full, parts, key="tasks_download", sheet="Nhiệm vụ")


current = view.current()
summary = current.summary()
render.page_header(f"Nhiệm vụ cải thiện PAPI — {summary.province}")
plans = data.plans()
if plans.empty:
    st.info("Chưa có kế hoạch nào. Cán bộ phân tích có thể tải danh sách nhiệm vụ lên ở trang Tải dữ liệu lên.")
else:
    plan_id, chosen_filters, plan_tasks = filters(plans, current.year)
    plan_caption(plans.set_index("plan_id").loc[plan_id], len(plan_tasks), summary.province, current.year)
    chosen = filter_tasks(plan_tasks, **chosen_filters)
    shown = [chosen_filters["dimension"]] if chosen_filters["dimension"] else list(DIMENSIONS)
    weak_dimensions(summary, chosen, shown)
    other_dimensions(summary, chosen, shown)
    coverage(summary, chosen)
    task_list(chosen, plan_id, chosen_filters)
