"""What it takes, in words a provincial official reads: "cần thêm 0,04 điểm để vào nhóm Cao nhất", "+0,10 điểm ≈
10 bậc", with the assumption every figure rests on said beside them; the table the pages show (where effort
pays most first), the command line's lines and the waterfall's refusals."""

from __future__ import annotations

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import EIGHT_DIMENSION_FROM, TOTAL
from papi_analysis.reference import Reference
from papi_analysis.results.comparison_group import Comparison
from papi_analysis.results.summary import ProvinceSummary
from papi_analysis.results.targets import (
    TARGETS_NOTE,
    GroupStep,
    MeasureTargets,
    RankGoal,
    RankStep,
    Scope,
    UnitTargets,
)
from papi_analysis.results.total_change import Refusal, TotalChange

NATIONAL, IN_REGION = "toàn quốc", "trong vùng"  # a regional goal in a hand-picked group: "trong nhóm so sánh"
DIMENSION_MAX = 10.0  # each dimension is scored 1–10
TENTH_LABEL = "+0,10 điểm"
MARGIN_LABEL = "Dư trên ngưỡng nhóm"  # how much the score can lose and keep its group


def assumption(year: int) -> str:
    """Said beside every figure of this module."""
    return TARGETS_NOTE.format(year=year)


def _ci_note(step: GroupStep | RankStep, m: MeasureTargets) -> str:
    if not step.within_ci:
        return ""
    return f" (trong phạm vi sai số: khoảng tin cậy 95% {fmt.number(m.ci_low)}–{fmt.number(m.ci_high)})"


def next_group(m: MeasureTargets, with_cut: bool = True) -> str:
    """'cần thêm 0,04 điểm để vào nhóm Cao nhất (đạt 4,40 điểm)' (without the cut in a table's cell); 'đang ở
    nhóm Cao nhất'."""
    step = m.to_next_group
    if step is None:
        return f"đang ở nhóm {m.group}"
    cut = f" (đạt {fmt.number(step.cut)} điểm)" if with_cut else ""
    return f"cần thêm {fmt.number(step.points)} điểm để vào nhóm {step.group}{cut}" + _ci_note(step, m)


def margin(m: MeasureTargets) -> str:
    """'giảm quá 0,05 điểm sẽ xuống nhóm Trung bình thấp'; in the lowest group, '—'."""
    step = m.margin_to_lower_group
    if step is None:
        return fmt.MISSING
    if step.points == 0:
        text = f"sát ngưỡng: giảm 0,01 điểm sẽ xuống nhóm {step.group}"
    else:
        text = f"giảm quá {fmt.number(step.points)} điểm sẽ xuống nhóm {step.group}"
    return text + (" (ngưỡng nằm trong khoảng tin cậy 95%)" if step.within_ci else "")


def per_tenth(m: MeasureTargets) -> str:
    """'+0,10 điểm ≈ 10 bậc' (national places)."""
    return f"{TENTH_LABEL} ≈ {m.ranks_per_tenth} bậc"


def regional_words(comparison: Comparison) -> str:
    """How a regional rank is said: within the region, or within a hand-picked group."""
    return IN_REGION if comparison.is_region else "trong nhóm so sánh"


def _where(goal: RankGoal, regional: str) -> str:
    return NATIONAL if goal.scope is Scope.NATIONAL else regional


def goal_label(goal: RankGoal, regional: str = IN_REGION) -> str:
    return f"hạng {goal.rank} {_where(goal, regional)}"


def goal_problem(goal: RankGoal, summary: ProvinceSummary) -> str | None:
    """Why a rank goal cannot be aimed at (None: it can): a rank below 1 or beyond the units ranked."""
    if goal.scope is Scope.REGIONAL:
        size, where = len(summary.comparison.unit_ids), summary.comparison.label
    else:
        size, where = summary.units_in_set, "cả nước"
    if goal.rank < 1:
        return f"Hạng mục tiêu phải từ 1 trở lên (đã nhập {goal.rank})."
    if goal.rank > size:
        return f"Hạng mục tiêu {goal.rank} lớn hơn số tỉnh, thành phố trong {where} ({size})."
    return None


def to_rank(m: MeasureTargets, goal: RankGoal, regional: str = IN_REGION) -> str:
    """'cần thêm 0,37 điểm để đạt hạng 20/61 toàn quốc (5,46 điểm)'; 'đã đạt (hạng 19/62)'."""
    step = m.to_rank
    if step is None:
        return f"không có {goal_label(goal, regional)} trong xếp hạng chỉ số này"
    where = f"{step.goal.rank}/{step.ranked} {_where(goal, regional)}"
    if step.reached:
        return f"đã đạt (hạng {step.rank_now}/{step.ranked})"
    return f"cần thêm {fmt.number(step.points)} điểm để đạt hạng {where} ({fmt.number(step.score)} điểm)" + _ci_note(
        step, m
    )


def measure_label(ref: Reference, code: str, year: int | None = None) -> str:
    """'D3 · Trách nhiệm giải trình'; a sub-dimension by the name its year's file gave it."""
    if code == TOTAL:
        return "Chỉ số tổng hợp (PAPI)"
    short = ref.measure(code).get("short_vi")
    return f"{code} · {short if isinstance(short, str) and short else ref.measure_name(code, year)}"


def target_rows(
    targets: UnitTargets, ref: Reference, measures: tuple[MeasureTargets, ...] | None = None, regional: str = IN_REGION
) -> pd.DataFrame:
    """The measures (default: the dimensions) where effort pays most first, as text; 'Nhóm' holds the group."""
    rows = []
    for m in targets.by_payoff(measures):
        row = {
            "Chỉ số": measure_label(ref, m.code, targets.year),
            "Điểm": fmt.number(m.score),
            "Nhóm": m.group,
            "Lên nhóm trên": next_group(m, with_cut=False),
            MARGIN_LABEL: _margin_cell(m),
            TENTH_LABEL: f"≈ {m.ranks_per_tenth} bậc",
        }
        if targets.goal is not None:
            row[f"Mục tiêu {goal_label(targets.goal, regional)}"] = _goal_cell(m)
        rows.append(row)
    return pd.DataFrame(rows)


def _margin_cell(m: MeasureTargets) -> str:
    """The margin in a table cell under MARGIN_LABEL: '0,05 điểm' (the sentence: margin)."""
    step = m.margin_to_lower_group
    if step is None:
        return fmt.MISSING
    return f"{fmt.number(step.points)} điểm" + (" (trong phạm vi sai số)" if step.within_ci else "")


def _goal_cell(m: MeasureTargets) -> str:
    """The points to the goal in a table cell: 'cần thêm 0,89 điểm (đạt 5,38)'; 'đã đạt (hạng 5)'."""
    step = m.to_rank
    if step is None:
        return "không có hạng này"
    if step.reached:
        return f"đã đạt (hạng {step.rank_now})"
    within = " (trong phạm vi sai số)" if step.within_ci else ""
    return f"cần thêm {fmt.number(step.points)} điểm (đạt {fmt.number(step.score)}){within}"


def payoff_sentence(targets: UnitTargets, ref: Reference, count: int = 3) -> str | None:
    """Where effort pays most, in one sentence: the first dimensions of target_rows."""
    first = [m for m in targets.by_payoff() if m.ranks_per_tenth > 0][:count]
    if not first:
        return None
    parts = [f"{measure_label(ref, m.code)}: {per_tenth(m)}" for m in first]
    return "Nỗ lực có lợi nhất (nhiều bậc nhất cho mỗi 0,10 điểm): " + "; ".join(parts) + "."


def figures(m: MeasureTargets, targets: UnitTargets, regional: str = IN_REGION, with_goal: bool = True) -> str:
    """A measure's figures in one line: the next group, the margin (if any), places per +0,10, the goal."""
    parts = [next_group(m), *([margin(m)] if m.margin_to_lower_group else []), per_tenth(m)]
    if with_goal and targets.goal is not None:
        parts.append(f"mục tiêu {goal_label(targets.goal, regional)}: {to_rank(m, targets.goal, regional)}")
    return "; ".join(parts)


def cli_lines(targets: UnitTargets, ref: Reference) -> list[str]:
    """The command line's block: the aggregate, then the dimensions where effort pays most first."""
    if not targets.measures:
        return []
    lines = ["", f"Cần gì để lên nhóm, lên hạng — {assumption(targets.year)}"]
    chosen = [m for m in (targets.total,) if m] + targets.by_payoff()
    for m in chosen:
        label = measure_label(ref, m.code, targets.year)
        lines.append(f"- {label} ({fmt.number(m.score)}, nhóm {m.group}): {figures(m, targets)}")
    return lines


def refusal_sentence(change: TotalChange) -> str | None:
    """Why the aggregate's change is not split by dimension (None: it is)."""
    if change.refusal is Refusal.METHOD_CHANGE:
        return (
            f"Không tách thay đổi điểm tổng hợp {change.previous_year} → {change.year} theo chỉ số nội dung: từ năm "
            f"{EIGHT_DIMENSION_FROM} PAPI có 8 chỉ số nội dung (thang tổng hợp 8–80) thay vì 6 (6–60), hai điểm tổng "
            "hợp không cộng trừ với nhau được."
        )
    if change.refusal is Refusal.NO_PREVIOUS:
        return f"Chưa có năm nào trước {change.year} có điểm tổng hợp để so sánh."
    if change.refusal is Refusal.NO_TOTAL:
        return f"PAPI {change.year} không công bố điểm tổng hợp: không có thay đổi để tách theo chỉ số nội dung."
    if change.refusal is Refusal.MISSING_DIMENSION:
        missing = ", ".join(change.missing)
        return (
            f"Không tách thay đổi điểm tổng hợp {change.previous_year} → {change.year} theo chỉ số nội dung: "
            f"thiếu điểm {missing} ở một trong hai năm."
        )
    return None


def total_goal_sentence(targets: UnitTargets, regional: str = IN_REGION) -> str | None:
    """The aggregate's rank goal and which single dimension could carry it (the aggregate is their sum, each at
    most 10 points); None without a goal or an aggregate."""
    total, goal = targets.total, targets.goal
    if total is None or goal is None or total.to_rank is None:
        return None
    step = total.to_rank
    if step.reached:
        return f"Điểm tổng hợp đã đạt {goal_label(goal, regional)} (hạng {step.rank_now}/{step.ranked})."
    able = [m.code for m in targets.dimensions if DIMENSION_MAX - m.score >= step.points]
    lead = f"Điểm tổng hợp {to_rank(total, goal, regional)}. Điểm tổng hợp là tổng các chỉ số nội dung: "
    if not able:
        return lead + "không chỉ số nào một mình tăng đủ (mỗi chỉ số tối đa 10 điểm), cần cải thiện nhiều chỉ số."
    return lead + f"mức tăng này có thể đến từ riêng một chỉ số ({', '.join(able)}) hoặc chia cho nhiều chỉ số."


def target_export(targets: UnitTargets, ref: Reference) -> pd.DataFrame:
    """The targets for download: numbers as numbers, one row per measure (the aggregate, dimensions, parts)."""
    rows = []
    for m in targets.measures:
        up, down, rank = m.to_next_group, m.margin_to_lower_group, m.to_rank
        rows.append(
            {
                "Năm": targets.year,
                "Mã": m.code,
                "Chỉ số": measure_label(ref, m.code, targets.year),
                "Điểm": m.score,
                "Nhóm": m.group,
                "Hạng toàn quốc": m.national_rank,
                "Nhóm trên": up.group if up else None,
                "Điểm cần thêm để lên nhóm": up.points if up else None,
                "Dư địa giữ nhóm": down.points if down else None,
                "Số bậc với +0,10 điểm": m.ranks_per_tenth,
                "Hạng mục tiêu": rank.goal.rank if rank else None,
                "Điểm cần thêm để đạt hạng mục tiêu": rank.points if rank else None,
                "Ghi chú": TARGETS_NOTE.format(year=targets.year),
            }
        )
    return pd.DataFrame(rows)
