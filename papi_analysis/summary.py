"""A province's year at a glance: the figures leaders quote, as a dict (JSON) and as Vietnamese prose
in the style of section I of the province's plan."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import fmt
from .domain import DIMENSIONS, GROUPS, TOTAL, UNIT_SET_LABELS, dimensions_for_year, total_scale
from .metrics import units_ahead, weak_dimensions
from .reference import Reference

CUSTOM_GROUP = "Nhóm so sánh tự chọn"


@dataclass(frozen=True)
class Comparison:
    """The group the focus unit is compared with: a region, or a hand-picked list."""

    label: str
    unit_ids: tuple[str, ...]  # always includes the focus unit
    region_id: str | None = None
    phrase: str = "trong nhóm so sánh tự chọn"  # how the plan's prose names the group

    @property
    def is_region(self) -> bool:
        return self.region_id is not None


def comparison_group(
    ref: Reference,
    focus_unit_id: str,
    unit_set: str,
    *,
    region_id: str | None = None,
    unit_ids: list[str] | None = None,
) -> Comparison:
    """Default: the focus unit's own region among the units of the year's unit set."""
    if unit_ids:
        members = tuple(dict.fromkeys([focus_unit_id, *unit_ids]))
        return Comparison(label=CUSTOM_GROUP, unit_ids=members)
    own_region = str(ref.unit(focus_unit_id)["region_id"])
    region_id = region_id or own_region
    members = tuple(dict.fromkeys([*ref.members(region_id, unit_set), focus_unit_id]))
    phrase = f"các tỉnh khu vực {ref.region_name(region_id)}"
    if region_id != own_region:
        phrase = f"trong nhóm {ref.unit_name(focus_unit_id)} và {phrase}"
    return Comparison(label=ref.region_name(region_id), unit_ids=members, region_id=region_id, phrase=phrase)


def _number(value) -> float | None:
    return None if pd.isna(value) else round(float(value), 6)


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _dimension(row: dict, ref: Reference) -> dict[str, object]:
    return {
        "code": row["measure"],
        "name_vi": ref.measure_name(row["measure"]),
        "score": _number(row["value"]),
        "score_display": fmt.number(row["value"]),
        "national_rank": _int(row["national_rank"]),
        "national_n": _int(row["national_n"]),
        "regional_rank": _int(row["group_rank"]),
        "regional_n": _int(row["group_n"]),
        "group": row["performance_group"],
        "previous_year": _int(row["previous_year"]),
        "change": _number(row["change"]),
        "comparable": not bool(row["scale_break"]),
        "national_rank_change": _int(row["national_rank_change"]),
        "regional_rank_change": _int(row["group_rank_change"]),
        "gap_to_regional_best": _number(row["gap_to_group_best"]),
        "gap_to_regional_median": _number(row["gap_to_group_median"]),
        "gap_to_national_best": _number(row["gap_to_national_best"]),
        "gap_to_national_median": _number(row["gap_to_national_median"]),
    }


def province_summary(
    table: pd.DataFrame, ref: Reference, unit_id: str, year: int, comparison: Comparison, year_unit_set: str
) -> dict[str, object]:
    """Everything the overview and the command line report for one unit and year.

    table: metrics.rank_table computed with this comparison's peers (or peers=None when the
    comparison is the unit's own region)."""
    return province_summaries(table, ref, year, year_unit_set, {unit_id: comparison})[unit_id]


def province_summaries(
    table: pd.DataFrame, ref: Reference, year: int, year_unit_set: str, comparisons: dict[str, Comparison]
) -> dict[str, dict[str, object]]:
    """Summaries of several units of one year at once (the table work is done once for all)."""
    year_rows = table[table.year.to_numpy() == year]
    wanted = year_rows[year_rows.unit_id.isin(list(comparisons))]
    by_unit: dict[str, dict[str, dict]] = {u: {} for u in comparisons}
    for record in wanted.to_dict("records"):
        by_unit[record["unit_id"]][record["measure"]] = record
    ahead = units_ahead(year_rows)
    return {
        unit_id: _summary(ref, unit_id, year, comparison, year_unit_set, by_unit[unit_id], ahead.get(unit_id, []))
        for unit_id, comparison in comparisons.items()
    }


def _summary(
    ref: Reference,
    unit_id: str,
    year: int,
    comparison: Comparison,
    year_unit_set: str,
    rows: dict[str, dict],
    ahead: list[str],
) -> dict[str, object]:
    name = ref.unit_name(unit_id)
    unit = ref.unit(unit_id)
    summary: dict[str, object] = {
        "province": name,
        "unit_id": unit_id,
        "unit_type": unit["unit_type"],
        "year": year,
        "region": comparison.label,
        "comparison_phrase": comparison.phrase,
        "comparison_members": [ref.unit_name(u) for u in comparison.unit_ids],
        "status": "ok",
        "message": None,
    }
    if unit["unit_set"] != year_unit_set:
        summary["status"] = "not_a_unit"
        summary["message"] = (
            f"{name} không phải đơn vị được PAPI {year} đánh giá: số liệu năm {year} theo "
            f"{UNIT_SET_LABELS[year_unit_set]}."
        )
        if unit["unit_set"] == "old" and (successor := ref.successor(unit_id)):
            summary["message"] += f" Từ 01/07/2025, {name} thuộc {ref.unit_name(successor)}."
        return summary
    if not rows:
        summary["status"] = "no_data"
        summary["message"] = (
            f"PAPI {year} không công bố điểm của {name} (tỉnh không được khảo sát hoặc không xếp hạng năm đó)."
        )
        return summary
    dims = [d for d in dimensions_for_year(year) if d in rows]
    summary["dimensions"] = [_dimension(rows[d], ref) for d in dims]
    summary["missing_dimensions"] = [d for d in dimensions_for_year(year) if d not in rows]
    summary["weak_dimensions"] = weak_dimensions([rows[d] for d in dims])
    summary["dimension_count"] = len(dimensions_for_year(year))
    summary["scale"] = "{}–{}".format(*map(int, total_scale(year)))
    if TOTAL not in rows:
        summary["status"] = "no_total"
        summary["message"] = (
            f"PAPI {year} không công bố điểm tổng hợp của {name} "
            f"(chỉ có {len(dims)}/{len(dimensions_for_year(year))} chỉ số nội dung); không xếp hạng tổng hợp."
        )
        for key in (
            "total",
            "total_display",
            "national_rank",
            "national_n",
            "regional_rank",
            "regional_n",
            "total_change",
            "national_rank_change",
            "regional_rank_change",
            "group",
            "previous_year",
        ):
            summary[key] = None
        summary["total_change_comparable"] = True
        summary["ahead_in_region"] = []
        return summary
    total = _dimension(rows[TOTAL], ref)
    shared = (
        "national_rank",
        "national_n",
        "regional_rank",
        "regional_n",
        "group",
        "previous_year",
        "national_rank_change",
        "regional_rank_change",
        "gap_to_regional_best",
        "gap_to_regional_median",
        "gap_to_national_best",
        "gap_to_national_median",
    )
    summary.update({key: total[key] for key in shared})
    summary.update(
        total=total["score"],
        total_display=total["score_display"],
        total_change=total["change"],
        total_change_comparable=total["comparable"],
        ahead_in_region=[ref.unit_name(u) for u in ahead],
    )
    if not total["comparable"]:
        summary["scale_note"] = (
            f"Điểm tổng hợp năm {year} theo thang 8 chỉ số (8–80), không so sánh trực tiếp với năm "
            f"{total['previous_year']} (thang 6 chỉ số, 6–60)."
        )
    return summary


def _join(items: list[str]) -> str:
    """'A, B và C'; with '; ' between items when a name itself has a comma."""
    if len(items) <= 1:
        return "".join(items)
    separator = "; " if any("," in item for item in items) else ", "
    return separator.join(items[:-1]) + " và " + items[-1]


def _subject(summary: dict[str, object]) -> str:
    return f"{summary['unit_type']} {summary['province']}"


def summary_paragraph(summary: dict[str, object]) -> str:
    """Section I of the plan, generated: the text staff paste into next year's plan."""
    if summary["status"] in ("not_a_unit", "no_data"):
        return str(summary["message"])
    year, name = summary["year"], summary["province"]
    sentences = []
    if summary["status"] == "no_total":
        sentences.append(str(summary["message"]))
    else:
        first = f"Năm {year}, {_subject(summary)} đạt {summary['total_display']} điểm, thuộc nhóm {summary['group']}."
        rank = (
            f"tính từ điểm cao đến điểm thấp thì {name} xếp hạng {summary['national_rank']}/{summary['national_n']} "
            "tỉnh, thành phố trong cả nước"
        )
        if summary["national_rank_change"] is not None:
            rank += f", {fmt.rank_change(summary['national_rank_change'])}"
        regional = f"xếp thứ {summary['regional_rank']}/{summary['regional_n']} {summary['comparison_phrase']}"
        ahead = summary["ahead_in_region"]
        if summary["regional_rank"] == 1:
            regional += " (dẫn đầu)"
        elif ahead and len(ahead) <= 4:
            regional += f" sau {', '.join(ahead)}"
        if summary["regional_rank_change"] is not None:
            regional += f", {fmt.rank_change(summary['regional_rank_change'])}"
        if summary.get("previous_year") and summary["total_change_comparable"]:
            change = f"So với năm {summary['previous_year']} {fmt.score_change(summary['total_change'])}, "
            sentences += [first, f"{change}{rank} và {regional}."]
        else:
            note = summary.get("scale_note") or ""
            sentences += [first, f"{rank[0].upper()}{rank[1:]} và {regional}.", note]
    sentences.append(_dimension_sentence(summary))
    return " ".join(s for s in sentences if s)


def _dimension_sentence(summary: dict[str, object]) -> str:
    dims = summary["dimensions"]
    by_group: dict[str, list[dict]] = {g: [] for g in GROUPS}
    for d in dims:
        by_group[d["group"]].append(d)
    parts = []
    for group in GROUPS:
        members = sorted(by_group[group], key=lambda d: -d["score"])
        if not members:
            continue
        names = _join([d["name_vi"] for d in members])
        verb = "rơi vào" if group == GROUPS[-1] else "được xếp trong"
        parts.append(f"{fmt.two_digits(len(members))} chỉ số nội dung {verb} nhóm {group} ({names})")
    count = fmt.two_digits(int(summary["dimension_count"]))
    missing = summary.get("missing_dimensions") or []
    lead = f"Trong {count} chỉ số nội dung, {_subject(summary)} có "
    tail = f" PAPI {summary['year']} không công bố {', '.join(missing)} của {summary['province']}." if missing else ""
    return lead + "; ".join(parts) + "." + tail


def summary_text(summary: dict[str, object]) -> str:
    """Plain-text report for the command line."""
    lines = [f"{summary['province']} — PAPI {summary['year']}"]
    if summary["status"] in ("not_a_unit", "no_data"):
        return "\n".join([*lines, str(summary["message"])])
    if summary["status"] == "ok":
        lines += [
            f"Điểm tổng hợp: {summary['total_display']} (thang {summary['scale']}), nhóm {summary['group']}",
            f"Xếp hạng toàn quốc: {fmt.rank(summary['national_rank'], summary['national_n'])}"
            f" ({fmt.rank_change(summary['national_rank_change'])})",
            f"Xếp hạng {summary['region']}: {fmt.rank(summary['regional_rank'], summary['regional_n'])}"
            f" ({fmt.rank_change(summary['regional_rank_change'])})",
        ]
        if summary["total_change_comparable"]:
            lines.append(f"So với năm {summary['previous_year']}: {fmt.score_change(summary['total_change'])}")
        else:
            lines.append(str(summary["scale_note"]))
    else:
        lines.append(str(summary["message"]))
    lines.append("")
    lines.append(
        f"{'Mã':<4} {'Chỉ số nội dung':<50} {'Điểm':>6} {'Toàn quốc':>9} {'Vùng':>6}  {'Nhóm':<16} {'Thay đổi':>8}"
    )
    for d in summary["dimensions"]:
        change = fmt.signed(d["change"]) + ("*" if not d["comparable"] else "")
        lines.append(
            f"{d['code']:<4} {d['name_vi'][:50]:<50} {d['score_display']:>6} "
            f"{fmt.rank(d['national_rank'], d['national_n']):>9} {fmt.rank(d['regional_rank'], d['regional_n']):>6}  "
            f"{d['group']:<16} {change:>8}"
        )
    if any(not d["comparable"] for d in summary["dimensions"]):
        lines.append("* thay đổi qua mốc 2018 (đổi phương pháp), chỉ để tham khảo")
    weak = summary["weak_dimensions"]
    lines.append("")
    lines.append("Chỉ số yếu (nhóm Trung bình thấp, Thấp nhất): " + (", ".join(weak) if weak else "không có"))
    lines.append("")
    lines.append(summary_paragraph(summary))
    return "\n".join(lines)


__all__ = ["DIMENSIONS", "Comparison", "comparison_group", "province_summary", "summary_paragraph", "summary_text"]
