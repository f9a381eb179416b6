"""The Nhiệm vụ page's filters — plan, reporting period, dimension, unit and role, due date, status, search —
kept in the URL beside the shared view's keys (?plan=…&period=2023-Q4&unit=so-noi-vu&role=chu-tri&q=…), so a
link reopens the same list. Like ui/view.py, the URL is read by hand on the first run and written back after
the widgets, because bound widgets cannot coexist with the shared view's own URL writing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from papi_analysis.domain import DIMENSIONS
from papi_analysis.names import slugify
from papi_analysis.plan.agencies import ROLE_CHOICE_LABELS, units_named
from papi_analysis.plan.plan_tasks import default_plan, due_buckets, filter_tasks
from papi_analysis.plan.task_status import (
    NO_STATUS,
    STATUSES,
    Period,
    as_of_day,
    default_period,
    parse_period,
    plan_periods,
)
from ui import loaders, view

# URL parameter -> widget key
PARAMS = {
    "plan": "tasks_plan",
    "period": "tasks_report_period",
    "dim": "tasks_dimension",
    "unit": "tasks_unit",
    "role": "tasks_role",
    "due": "tasks_period",
    "status": "tasks_status",
    "q": "tasks_query",
}
ROLE_SLUGS = {
    "any": None,
    "named": "chu-tri-dich-danh",
    "shared": "chu-tri-chung",
    "partner": "phoi-hop",
    "lead": "chu-tri",
}
STATUS_CHOICES = [*STATUSES, NO_STATUS]


@dataclass(frozen=True)
class Filters:
    plan_id: str
    period: Period
    as_of: date
    dimension: str | None
    unit: str | None
    role: str
    due: str | None
    status: str | None
    query: str

    def task_filters(self) -> dict:
        """The arguments of tasks.filter_tasks."""
        return {
            "dimension": self.dimension,
            "unit": self.unit,
            "role": self.role,
            "period": self.due,
            "query": self.query,
        }

    def name_parts(self) -> list[object]:
        return [self.plan_id, str(self.period), self.dimension, self.unit, self.due, self.status]


def _slug_options(options: list[str]) -> dict[str, str]:
    return {slugify(o): o for o in options}


def read_url(plans: pd.DataFrame, tasks: pd.DataFrame) -> None:
    """First run of the page in a session: the URL's filters become the widgets' state (bad values are
    said at the top of the page and ignored)."""
    state, params = st.session_state, st.query_params
    if state.get("_tasks_url_applied"):
        return
    state["_tasks_url_applied"] = True
    choices = {
        "plan": {p: p for p in plans.plan_id},
        "dim": {d.lower(): d for d in DIMENSIONS},
        "unit": _slug_options(units_named(tasks.lead_units, tasks.coordinating_units)),
        "role": {slug: role for role, slug in ROLE_SLUGS.items() if slug},
        "due": _slug_options(due_buckets(tasks)),
        "status": _slug_options(STATUS_CHOICES),
    }
    for param, key in PARAMS.items():
        text = params.get(param)
        if not text:
            continue
        if param == "q":
            state[key] = text[:200]
        elif param == "period":
            try:
                state[key] = str(parse_period(text))
            except ValueError as error:
                view.notice(str(error))
        elif (found := choices[param].get(text if param == "plan" else slugify(text))) is not None:
            state[key] = found
        else:
            view.notice(f"Bỏ qua bộ lọc '{param}={text}' trong đường dẫn: không có lựa chọn này.")


def write_url(filters: Filters, default_plan_id: str, default_period: Period) -> None:
    """Put the non-default filters in the URL; the shared view's keys are left as they are."""
    wanted = {
        "plan": filters.plan_id if filters.plan_id != default_plan_id else None,
        "period": str(filters.period) if filters.period != default_period else None,
        "dim": filters.dimension,
        "unit": slugify(filters.unit) if filters.unit else None,
        "role": ROLE_SLUGS[filters.role],
        "due": slugify(filters.due) if filters.due else None,
        "status": slugify(filters.status) if filters.status else None,
        "q": filters.query or None,
    }
    for param, value in wanted.items():
        if value is None and param in st.query_params:
            del st.query_params[param]
        elif value is not None and st.query_params.get(param) != value:
            st.query_params[param] = value


def _plan_and_period(plans: pd.DataFrame, year: int, history: pd.DataFrame, today: date):
    """The plan and reporting period boxes; returns the default plan, the plan, the period, the default period."""
    state, titles = st.session_state, {p.plan_id: f"{p.plan_id} — {p.title}" for p in plans.itertuples()}
    first = default_plan(plans, year)
    state.setdefault(PARAMS["plan"], first)
    c1, c2 = st.columns([3, 1])
    plan_id = c1.selectbox(
        "Kế hoạch", plans.plan_id.tolist(), format_func=titles.get, key=PARAMS["plan"], placeholder="Chọn kế hoạch"
    )
    plan = plans.set_index("plan_id").loc[plan_id]
    recorded = sorted(set(history[history.plan_id == plan_id].period))
    periods = plan_periods(plan.issued_on, int(plan.target_year), today, recorded)
    usual = default_period(periods, int(plan.target_year), today)
    if state.get(PARAMS["period"]) not in [str(p) for p in periods]:
        state[PARAMS["period"]] = str(usual)
    period = c2.selectbox(
        "Kỳ báo cáo",
        [str(p) for p in periods],
        key=PARAMS["period"],
        format_func=lambda p: parse_period(p).label,
        placeholder="Chọn kỳ báo cáo",
        help="Tình trạng tính đến hết kỳ này (kỳ đang diễn ra: đến hôm nay); quá hạn tính đến cùng ngày đó.",
    )
    return first, plan_id, parse_period(period), usual


def render(plans: pd.DataFrame, year: int, history: pd.DataFrame, today: date) -> tuple[Filters, pd.DataFrame]:
    """The filter box; returns the filters and the chosen plan's tasks."""
    ref = loaders.reference()
    with st.container(border=True):
        st.markdown("**Lọc nhiệm vụ**")
        first, plan_id, period, usual_period = _plan_and_period(plans, year, history, today)
        plan_tasks = filter_tasks(loaders.tasks(), plan_id=plan_id)
        c1, c2, c3, c4 = st.columns(4)
        short = lambda c: "Tất cả" if c is None else f"{c} {ref.measure(c)['short_vi']}"
        dimension = c1.selectbox(
            "Chỉ số nội dung", [None, *DIMENSIONS], key=PARAMS["dim"], format_func=short, placeholder="Tất cả"
        )
        units = units_named(plan_tasks.lead_units, plan_tasks.coordinating_units)
        everyone = lambda u: u or "Tất cả"
        unit = c2.selectbox("Đơn vị", [None, *units], key=PARAMS["unit"], format_func=everyone, placeholder="Tất cả")
        roles = ROLE_CHOICE_LABELS
        role = c3.selectbox("Vai trò", list(roles), key=PARAMS["role"], format_func=roles.get, placeholder="Tất cả")
        due = c4.selectbox(
            "Thời hạn", [None, *due_buckets(plan_tasks)], key=PARAMS["due"], format_func=everyone, placeholder="Tất cả"
        )
        c5, c6 = st.columns([1, 3])
        status = c5.selectbox(
            "Tình trạng", [None, *STATUS_CHOICES], key=PARAMS["status"], format_func=everyone, placeholder="Tất cả"
        )
        query = c6.text_input("Tìm nhiệm vụ", key=PARAMS["q"], placeholder="mã, tên, nội dung hoặc đơn vị")
    filters = Filters(plan_id, period, as_of_day(period, today), dimension, unit, role, due, status, query.strip())
    write_url(filters, first, usual_period)
    return filters, plan_tasks
