"""The Nhiệm vụ page's filters — plan, reporting period, dimension, unit and role, due date, status, search —
kept in the URL beside the shared view's keys (?plan=…&period=2023-Q4&unit=so-noi-vu&role=chu-tri&q=…), so a
link reopens the same list, and kept in the session when the user moves to another page and back
(ui/url_filters.py)."""

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
from ui import loaders, phone, url_filters
from ui.render import plain

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
CHOSEN = {"on_change": phone.filters_chosen}  # a choice closes the block on a phone
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


def _period_filter(periods: list[Period], usual: Period) -> url_filters.Filter:
    def read(text: str) -> str:
        try:
            return str(parse_period(text))
        except ValueError as error:
            raise url_filters.Unknown(str(error)) from error

    shown = [str(p) for p in periods]
    write = lambda value: None if value == str(usual) else value
    return url_filters.Filter("period", PARAMS["period"], str(usual), read, write, lambda value: value in shown)


def _list_filters(plan_tasks: pd.DataFrame) -> list[url_filters.Filter]:
    """The filters under the plan and period boxes, their choices those of the chosen plan."""
    choice = url_filters.choice
    roles = {slug: role for role, slug in ROLE_SLUGS.items() if slug}
    units = _slug_options(units_named(plan_tasks.lead_units, plan_tasks.coordinating_units))
    query = url_filters.Filter("q", PARAMS["q"], "", lambda text: text[:200], lambda value: value.strip() or None)
    return [
        choice("dim", PARAMS["dim"], None, {d.lower(): d for d in DIMENSIONS}),
        choice("unit", PARAMS["unit"], None, units),
        choice("role", PARAMS["role"], "any", roles),
        choice("due", PARAMS["due"], None, _slug_options(due_buckets(plan_tasks))),
        choice("status", PARAMS["status"], None, _slug_options(STATUS_CHOICES)),
        query,
    ]


def _plan_filter(plans: pd.DataFrame, year: int) -> url_filters.Filter:
    plan_ids = {p.casefold(): p for p in plans.plan_id}
    return url_filters.choice("plan", PARAMS["plan"], default_plan(plans, year), plan_ids)


def _plan_and_period(plans: pd.DataFrame, history: pd.DataFrame, today: date) -> url_filters.Filter:
    """The plan and reporting period boxes; returns the period's filter (its choices are the plan's quarters)."""
    titles = {p.plan_id: f"{p.plan_id} — {p.title}" for p in plans.itertuples()}
    c1, c2 = st.columns([3, 1])
    plan_id = c1.selectbox(
        "Kế hoạch",
        plans.plan_id.tolist(),
        format_func=titles.get,
        key=PARAMS["plan"],
        placeholder="Chọn kế hoạch",
        **CHOSEN,
    )
    plan = plans.set_index("plan_id").loc[plan_id]
    recorded = sorted(set(history[history.plan_id == plan_id].period))
    periods = plan_periods(plan.issued_on, int(plan.target_year), today, recorded)
    period_filter = _period_filter(periods, default_period(periods, int(plan.target_year), today))
    url_filters.restore([period_filter])
    c2.selectbox(
        "Kỳ báo cáo",
        [str(p) for p in periods],
        key=PARAMS["period"],
        format_func=lambda p: parse_period(p).label,
        placeholder="Chọn kỳ báo cáo",
        on_change=phone.filters_chosen,
        help="Tình trạng tính đến hết kỳ này (kỳ đang diễn ra: đến hôm nay); quá hạn tính đến cùng ngày đó.",
    )
    return period_filter


def _block_title() -> str:
    """'Bộ lọc', and what is chosen besides the plan and period (the block may be closed): its values are our
    own words or come from the tasks file, so they are shown as text."""
    state = st.session_state
    chosen = [state.get(PARAMS[k]) for k in ("dim", "unit", "due", "status")]
    chosen += [ROLE_CHOICE_LABELS.get(state.get(PARAMS["role"])) if state.get(PARAMS["role"]) != "any" else None]
    chosen += [f"“{state[PARAMS['q']].strip()}”" if state.get(PARAMS["q"], "").strip() else None]
    shown = [str(c) for c in chosen if c]
    return "Bộ lọc" + (f" — đang lọc: {plain(' · '.join(shown))}" if shown else "")


def render(plans: pd.DataFrame, year: int, history: pd.DataFrame, today: date) -> tuple[Filters, pd.DataFrame]:
    """The filter box; returns the filters and the chosen plan's tasks."""
    ref, state = loaders.reference(), st.session_state
    plan_filter = _plan_filter(plans, year)  # from the URL or as the user left them, before the block's title
    url_filters.restore([plan_filter])
    plan_tasks = filter_tasks(loaders.tasks(), plan_id=state[PARAMS["plan"]])
    listed = _list_filters(plan_tasks)
    url_filters.restore(listed)
    # One block "Bộ lọc", open on a computer; on a phone closed at first and after each choice (ui/phone.py),
    # its title saying what is chosen.
    with st.expander(_block_title(), expanded=True, key="tasks_filters", icon=":material/filter_list:"):
        period_filter = _plan_and_period(plans, history, today)
        c1, c2, c3, c4 = st.columns(4)
        short = lambda c: "Tất cả" if c is None else f"{c} {ref.measure(c)['short_vi']}"
        dimension = c1.selectbox(
            "Chỉ số nội dung", [None, *DIMENSIONS], key=PARAMS["dim"], format_func=short, placeholder="Tất cả", **CHOSEN
        )
        units = units_named(plan_tasks.lead_units, plan_tasks.coordinating_units)
        everyone = lambda u: u or "Tất cả"
        unit = c2.selectbox(
            "Đơn vị", [None, *units], key=PARAMS["unit"], format_func=everyone, placeholder="Tất cả", **CHOSEN
        )
        roles = ROLE_CHOICE_LABELS
        role = c3.selectbox(
            "Vai trò", list(roles), key=PARAMS["role"], format_func=roles.get, placeholder="Tất cả", **CHOSEN
        )
        due = c4.selectbox(
            "Thời hạn",
            [None, *due_buckets(plan_tasks)],
            key=PARAMS["due"],
            format_func=everyone,
            placeholder="Tất cả",
            **CHOSEN,
        )
        c5, c6 = st.columns([1, 3])
        status = c5.selectbox(
            "Tình trạng",
            [None, *STATUS_CHOICES],
            key=PARAMS["status"],
            format_func=everyone,
            placeholder="Tất cả",
            **CHOSEN,
        )
        query = c6.text_input(
            "Tìm nhiệm vụ", key=PARAMS["q"], placeholder="mã, tên, nội dung hoặc đơn vị", on_change=phone.filters_chosen
        )
        phone.mark_filters()
    plan_id, period = state[PARAMS["plan"]], parse_period(state[PARAMS["period"]])
    filters = Filters(plan_id, period, as_of_day(period, today), dimension, unit, role, due, status, query.strip())
    url_filters.keep([plan_filter, period_filter, *listed])
    return filters, plan_tasks
