"""The Nhiệm vụ page's follow-through views: each unit's tasks as chủ trì and as phối hợp (the tasks of
"Các sở, ban, ngành tỉnh" included for every provincial department), and the overdue list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from papi_analysis import fmt
from papi_analysis.plan.agencies import DEPARTMENTS, Role
from papi_analysis.plan.plan_tasks import is_general, unit_roles
from papi_analysis.plan.task_status import progress
from papi_analysis.plan.task_tables import by_unit, overdue_rows, plan_source, task_rows
from ui import render
from ui.tasks.task_filters import Filters


def _role_counts(roles: pd.Series) -> None:
    lead, shared, partner = st.columns(3)
    lead.metric("Chủ trì", int((roles == Role.LEAD).sum()), border=True)
    shared.metric(
        "Chủ trì chung",
        int((roles == Role.SHARED).sum()),
        border=True,
        help=f"Nhiệm vụ giao cho '{DEPARTMENTS}' (mọi sở, ban, ngành tỉnh cùng chủ trì).",
    )
    partner.metric("Phối hợp", int((roles == Role.PARTNER).sum()), border=True)


def one_unit(chosen: pd.DataFrame, filters: Filters) -> None:
    """Everything a unit takes part in, with its role, specific and whole-index tasks apart."""
    unit = filters.unit
    st.subheader(render.plain(f"Nhiệm vụ của {unit}"))
    roles = unit_roles(chosen, unit)
    _role_counts(roles)
    if chosen.empty:
        st.info("Không có nhiệm vụ nào khớp bộ lọc.")
        return
    st.progress(progress(chosen).done_share or 0.0, text=progress(chosen).sentence())
    general = is_general(chosen)
    for title, part in (
        ("Nhiệm vụ riêng (nhắm vào chỉ số cụ thể)", chosen[~general]),
        ("Nhiệm vụ chung cho toàn bộ Chỉ số PAPI", chosen[general]),
    ):
        if len(part):
            st.markdown(f"**{title}** — {len(part)}")
            render.text_table(task_rows(part, unit))


def all_units(chosen: pd.DataFrame, units: list[str]) -> None:
    st.subheader("Nhiệm vụ theo đơn vị")
    st.caption(
        "Chủ trì: đơn vị được nêu tên là đơn vị chủ trì. Chủ trì chung: nhiệm vụ giao cho "
        f"'{DEPARTMENTS}', tính cho mọi sở, ban, ngành tỉnh. Phối hợp: đơn vị được nêu tên là đơn vị phối hợp. "
        "Chọn một đơn vị ở bộ lọc để xem danh sách nhiệm vụ của đơn vị đó."
    )
    render.dataframe(by_unit(chosen, units), key="tasks_by_unit")


def overdue(chosen: pd.DataFrame, filters: Filters) -> None:
    st.subheader(f"Nhiệm vụ quá hạn tính đến ngày {fmt.day(filters.as_of)}")
    st.caption(
        "Quá hạn: đã qua thời hạn mà tình trạng (tính đến kỳ báo cáo đã chọn) chưa là Hoàn thành hay Không thực hiện "
        "được. Nhiệm vụ thường xuyên hoặc không ghi thời hạn cụ thể không bao giờ quá hạn."
    )
    rows = overdue_rows(chosen, filters.as_of)
    if rows.empty:
        st.success("Không có nhiệm vụ nào quá hạn trong phạm vi lọc.")
        return
    render.text_table(rows)
    parts = ["nhiem-vu-qua-han", filters.plan_id, filters.as_of.isoformat()]
    render.downloads(rows, parts, key="tasks_overdue_dl", source=plan_source(filters.plan_id))
