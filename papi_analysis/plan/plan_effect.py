"""Did the plan move the needle? For a plan and its target year, per dimension: how many specific tasks aimed
at it, how many were done (from the statuses), and how its score and national rank changed from the year
before the plan to the target year. The aggregate row pairs the whole-index tasks with the aggregate score.

This shows an association, not a cause: a score moves with the survey's sampling error, with national
trends and with everything else a province does; the caution travels with the table (CAUTION).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import TOTAL, UNIT_SET_LABELS, dimensions_for_year, same_scale
from papi_analysis.plan.plan_tasks import is_general, specific_to
from papi_analysis.plan.task_status import Period, TaskStatus, with_status
from papi_analysis.reference import Reference, UnknownName

CAUTION = (
    "Bảng này chỉ cho thấy mối liên hệ giữa việc thực hiện nhiệm vụ và thay đổi điểm, thứ hạng, không chứng minh "
    "nhiệm vụ là nguyên nhân: điểm PAPI còn chịu ảnh hưởng của sai số khảo sát, xu hướng chung cả nước và nhiều "
    "việc khác của tỉnh."
)
COLUMNS = {
    "code": "Mã",
    "name": "Chỉ số",
    "tasks": "Nhiệm vụ",
    "done": "Hoàn thành",
    "done_share": "Tỷ lệ hoàn thành",
    "score_before": "Điểm năm trước kế hoạch",
    "score_target": "Điểm năm mục tiêu",
    "change": "Thay đổi điểm",
    "rank_before": "Hạng năm trước kế hoạch",
    "rank_target": "Hạng năm mục tiêu",
    "rank_change": "Thay đổi hạng",
}


@dataclass(frozen=True)
class PlanEffect:
    plan_id: str
    province: str
    baseline_year: int
    target_year: int
    as_of: date
    rows: pd.DataFrame  # keys of COLUMNS, one row per dimension of the target year, then TOTAL
    message: str | None = None  # why there is nothing to compare (rows is then empty)

    def display(self) -> pd.DataFrame:
        """The rows with their Vietnamese headers, numbers kept as numbers (for download)."""
        return self.rows.rename(columns=COLUMNS)

    def shown(self) -> pd.DataFrame:
        """The rows as the page shows them: 42,86 · 15% · +0,47 · tăng 3 bậc."""
        rows = self.rows
        return pd.DataFrame(
            {
                COLUMNS["name"]: rows.name,
                COLUMNS["tasks"]: rows.tasks,
                COLUMNS["done"]: rows.done,
                COLUMNS["done_share"]: [
                    fmt.MISSING if fmt.is_missing(v) else f"{fmt.number(100 * v, 0)}%" for v in rows.done_share
                ],
                COLUMNS["score_before"]: rows.score_before.map(fmt.number),
                COLUMNS["score_target"]: rows.score_target.map(fmt.number),
                COLUMNS["change"]: rows.change.map(fmt.signed),
                COLUMNS["rank_before"]: rows.rank_before.map(fmt.integer),
                COLUMNS["rank_target"]: rows.rank_target.map(fmt.integer),
                COLUMNS["rank_change"]: rows.rank_change.map(fmt.rank_change),
            }
        )


def _unit_rows(table: pd.DataFrame, units: dict[int, str | None]) -> dict[tuple[int, str], dict]:
    """The unit's rank-table rows of each year, by (year, measure): one pass over the table."""
    wanted = {(year, unit) for year, unit in units.items() if unit}
    rows = table[table.year.isin([y for y, _ in wanted]) & table.unit_id.isin([u for _, u in wanted])]
    return {(r["year"], r["measure"]): r for r in rows.to_dict("records") if (r["year"], r["unit_id"]) in wanted}


def _find(ref: Reference, province: str, unit_set: str | None) -> str | None:
    if unit_set is None:
        return None
    try:
        return ref.find_unit(province, unit_set)
    except UnknownName:
        return None


def plan_effect(
    table: pd.DataFrame,
    ref: Reference,
    plan: dict,
    tasks: pd.DataFrame,
    history: pd.DataFrame,
    year_unit_sets: dict[int, str],
    today: date,
) -> PlanEffect:
    """table: metrics.rank_table; plan: a plans row; tasks: the plan's tasks (tasks.with_dimensions);
    history: the stored status changes; statuses are taken as of the end of the target year (or today)."""
    target = int(plan["target_year"])
    baseline = target - 1
    as_of = min(today, Period(target, 4).end)
    base = dict(
        plan_id=str(plan["plan_id"]), province=str(plan["province"]), baseline_year=baseline, target_year=target
    )
    sets = (year_unit_sets.get(baseline), year_unit_sets.get(target))
    if None not in sets and sets[0] != sets[1]:  # 63 provinces, then 34 units: no change is computed across
        message = (
            f"PAPI {baseline} đánh giá {UNIT_SET_LABELS[sets[0]]}, PAPI {target} đánh giá {UNIT_SET_LABELS[sets[1]]}: "
            "không so sánh điểm và thứ hạng giữa hai năm."
        )
        return PlanEffect(**base, as_of=as_of, rows=pd.DataFrame(columns=list(COLUMNS)), message=message)
    units = {y: _find(ref, base["province"], year_unit_sets.get(y)) for y in (baseline, target)}
    scores = _unit_rows(table, units)
    missing = [y for y in (baseline, target) if (y, TOTAL) not in scores]
    if missing:
        years = " và ".join(map(str, missing))
        message = (
            f"Chưa có điểm PAPI {years} của {base['province']}: chưa so sánh được năm trước kế hoạch với năm mục tiêu."
        )
        return PlanEffect(**base, as_of=as_of, rows=pd.DataFrame(columns=list(COLUMNS)), message=message)
    followed = with_status(tasks, history[history.plan_id == base["plan_id"]], as_of)
    rows = []
    for code in (*dimensions_for_year(target), TOTAL):
        aimed = followed[is_general(followed)] if code == TOTAL else specific_to(followed, code)
        before, after = (scores.get((y, code), {}) for y in (baseline, target))
        done = int((aimed.status == TaskStatus.DONE.value).sum())
        comparable = bool(before and after) and (code != TOTAL or same_scale(baseline, target))
        rows.append(
            {
                "code": code,
                "name": "Chỉ số tổng hợp (nhiệm vụ chung)" if code == TOTAL else ref.measure(code)["short_vi"],
                "tasks": len(aimed),
                "done": done,
                "done_share": done / len(aimed) if len(aimed) else None,
                "score_before": before.get("value"),
                "score_target": after.get("value"),
                "change": after["value"] - before["value"] if comparable else None,
                "rank_before": before.get("national_rank"),
                "rank_target": after.get("national_rank"),
                "rank_change": before["national_rank"] - after["national_rank"] if before and after else None,
            }
        )
    return PlanEffect(**base, as_of=as_of, rows=pd.DataFrame(rows, columns=list(COLUMNS)))
