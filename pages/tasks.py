"""Nhiệm vụ: the improvement plan's tasks next to the weak dimensions, followed through the year — status per
reporting period, each unit's tasks as chủ trì and phối hợp, what is overdue, whether the plan moved the
scores — and, for analysts, recording statuses one by one or from a quarterly report file."""

import pandas as pd
import streamlit as st

from papi_analysis import fmt, times
from papi_analysis.access.permissions import reportable
from papi_analysis.domain import DIMENSIONS
from papi_analysis.names import plain
from papi_analysis.plan.agencies import units_named
from papi_analysis.plan.plan_tasks import filter_tasks, plan_number
from papi_analysis.plan.task_status import with_status, with_status_filter
from papi_analysis.plan.task_tables import PRINTED_COLUMNS, full_list, plan_source
from ui import auth, loaders, print_view, render, sign_in, view
from ui.tasks import by_unit, effect, plan_draft_button, progress, status_exchange, task_filters, updates
from ui.tasks.task_filters import Filters

DRAFT = "Dự thảo kế hoạch năm sau"


def plan_caption(plan: pd.Series, count: int, name: str, year: int) -> None:
    st.caption(
        render.plain(
            f"{plan.title} — {plan.issuing_body}, số {plan_number(plan.name, plan.issued_on)} ngày "
            f"{fmt.day(plan.issued_on)}; năm mục tiêu {plan.target_year}. {count} nhiệm vụ."
        )
    )
    if plain(plan.province) != plain(name):
        st.info(
            render.plain(f"Kế hoạch này của {plan.province}; tỉnh đang xem là {name}. ")
            + f"Nhóm hiệu quả bên dưới là của {name}.",
            icon=":material/info:",
        )
    if plan.target_year != year + 1:
        st.caption(f"Kế hoạch nhắm tới PAPI {plan.target_year}; đang xem kết quả PAPI {year}.")


def task_list(chosen: pd.DataFrame, filters: Filters) -> None:
    st.subheader("Danh sách nhiệm vụ (theo bộ lọc)")
    full = full_list(chosen)
    if print_view.active():  # on paper, the columns a reader needs (every column is in the downloads)
        render.text_table(full[PRINTED_COLUMNS])
    else:
        wrapped = {"Nhiệm vụ": st.column_config.TextColumn(width="large")}  # three lines a row: the title wraps
        screen, paper = full.drop(columns=["Nội dung"]), full[PRINTED_COLUMNS]  # Ctrl+P prints what Bản in does
        render.dataframe(screen, key="tasks_full", column_config=wrapped, row_height=72, printed=paper)
    source = plan_source(filters.plan_id)
    render.downloads(full, ["nhiem-vu", *filters.name_parts()], key="tasks_download", sheet="Nhiệm vụ", source=source)
    status_exchange.export(chosen, filters)


def record_statuses(plan_tasks: pd.DataFrame, chosen: pd.DataFrame, filters: Filters) -> None:
    """Analysts record any task's status; a department's reporter only those its unit leads by name (the store
    checks it again on every write). Signing in here keeps the page and its filters."""
    who = auth.account()
    if who is None:
        sign_in.offer(
            "Cán bộ phân tích đăng nhập để cập nhật tình trạng nhiệm vụ; báo cáo viên của một sở, ngành đăng nhập để "
            "cập nhật các nhiệm vụ đơn vị mình chủ trì."
        )
        return
    if who.is_reporter:
        st.caption(
            render.plain(f"Tài khoản {who.name} ({who.title}): chỉ các nhiệm vụ {who.unit} chủ trì (đích danh).")
        )
        chosen = chosen[reportable(chosen, who)]
    updates.record(chosen, filters, who)
    st.divider()
    status_exchange.upload(plan_tasks, filters, who)


def page(current) -> None:
    summary, plans, today = current.summary(), loaders.plans(), times.vietnam_today()
    render.page_header(f"Nhiệm vụ cải thiện PAPI — {summary.province}", printable=True)
    if plans.empty:
        st.info("Chưa có kế hoạch nào. Cán bộ phân tích có thể tải danh sách nhiệm vụ lên ở trang Tải dữ liệu lên.")
        if auth.analyst():  # the page exists for an analyst only
            render.page_link("pages/upload.py", "Mở trang Tải dữ liệu lên", icon=":material/upload_file:")
        return
    history = loaders.statuses()
    filters, plan_tasks = task_filters.render(plans, current.year, history, today)
    plan = plans.set_index("plan_id").loc[filters.plan_id]
    plan_caption(plan, len(plan_tasks), summary.province, current.year)
    followed = with_status(plan_tasks, history, filters.as_of)
    chosen = with_status_filter(filter_tasks(followed, **filters.task_filters()), filters.status)
    shown = [filters.dimension] if filters.dimension else list(DIMENSIONS)
    labels = ["Chỉ số yếu", "Theo đơn vị", "Quá hạn", "Danh sách", "Chuyển biến", "Cập nhật tình trạng", DRAFT]
    tabs = print_view.sections(labels, screen_only=("Cập nhật tình trạng", DRAFT))
    with tabs[0]:
        progress.weak_dimensions(summary, chosen, shown, filters.unit)
        progress.other_dimensions(summary, chosen, shown, filters.unit)
    with tabs[1]:
        if filters.unit:
            by_unit.one_unit(chosen, filters)
        else:
            by_unit.all_units(chosen, units_named(plan_tasks.lead_units, plan_tasks.coordinating_units))
    with tabs[2]:
        by_unit.overdue(chosen, filters)
    with tabs[3]:
        progress.coverage(summary, chosen)
        task_list(chosen, filters)
    with tabs[4]:
        effect.render_section(filters.plan_id, today)
    if tabs[5] is not None:
        with tabs[5]:
            record_statuses(plan_tasks, chosen, filters)
    if tabs[6] is not None:
        with tabs[6]:
            plan_draft_button.render_section(current, filters.plan_id, today)


page(view.current())
