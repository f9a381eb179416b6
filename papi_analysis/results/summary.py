"""A province's year at a glance: the figures leaders quote, as typed results (and their JSON for the
command line), and as Vietnamese prose in the style of section I of the province's plan.

Words: the *performance group* (nhóm hiệu quả: Cao nhất … Thấp nhất) is a quartile of the national
distribution; the *comparison group* (nhóm so sánh) is the region or hand-picked list the focus unit is
ranked in. The JSON keys keep their published names (`group`, `regional_rank`, `region`, …).

A new unit (from 01/07/2025) also carries the old provinces it was formed from, each with its latest year
with an aggregate score before the change: they stand in for the change that cannot be computed in its
first year (ranks among 63 and among 34 are never compared).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import TOTAL, UNIT_SET_LABELS, WEIGHTED_TOTAL, dimensions_for_year, total_scale
from papi_analysis.reference import Reference
from papi_analysis.results.comparison_group import Comparison
from papi_analysis.results.lineage import before_change, changed, label
from papi_analysis.results.metrics import units_ahead, weak_dimensions, weakest_first
from papi_analysis.results.targets import TARGETS_NOTE, UnitTargets, json_keys


class Status(Enum):
    OK = "ok"
    NO_TOTAL = "no_total"  # some dimensions published, no aggregate
    NO_DATA = "no_data"  # nothing published for the unit that year
    NOT_A_UNIT = "not_a_unit"  # the unit does not exist in the year's unit set

    @property
    def has_scores(self) -> bool:
        return self in (Status.OK, Status.NO_TOTAL)


def _number(value) -> float | None:
    return None if pd.isna(value) else round(float(value), 6)


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


@dataclass(frozen=True)
class SubdimensionResult:
    """A sub-dimension of a dimension of the focus unit in the year (named as that year's file names it)."""

    code: str
    name_vi: str
    score: float | None
    ci_low: float | None
    ci_high: float | None
    national_rank: int | None
    national_n: int | None

    @classmethod
    def from_row(cls, row: dict, ref: Reference) -> SubdimensionResult:
        return cls(
            code=row["measure"],
            name_vi=ref.measure_name(row["measure"], int(row["year"])),
            score=_number(row["value"]),
            ci_low=_number(row.get("ci_low")),
            ci_high=_number(row.get("ci_high")),
            national_rank=_int(row["national_rank"]),
            national_n=_int(row["national_n"]),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name_vi": self.name_vi,
            "score": self.score,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "national_rank": self.national_rank,
            "national_n": self.national_n,
        }


@dataclass(frozen=True)
class MeasureResult:
    """One measure (the aggregate or a dimension) of the focus unit in the year."""

    code: str
    name_vi: str
    score: float | None
    national_rank: int | None
    national_n: int | None
    comparison_rank: int | None
    comparison_n: int | None
    performance_group: str | None
    previous_year: int | None
    change: float | None
    comparable: bool  # False: the change crosses the 2018 method change
    national_rank_change: int | None
    comparison_rank_change: int | None
    gap_to_comparison_best: float | None
    gap_to_comparison_median: float | None
    gap_to_national_best: float | None
    gap_to_national_median: float | None
    ci_low: float | None = None  # the 95% confidence interval, where stored
    ci_high: float | None = None
    subdimensions: tuple[SubdimensionResult, ...] = ()  # a dimension's, where stored

    @classmethod
    def from_row(cls, row: dict, ref: Reference, parts: tuple[dict, ...] = ()) -> MeasureResult:
        """From a metrics.rank_table row (and its sub-dimensions' rows)."""
        return cls(
            code=row["measure"],
            name_vi=ref.measure_name(row["measure"]),
            score=_number(row["value"]),
            national_rank=_int(row["national_rank"]),
            national_n=_int(row["national_n"]),
            comparison_rank=_int(row["comparison_rank"]),
            comparison_n=_int(row["comparison_n"]),
            performance_group=row["performance_group"],
            previous_year=_int(row["previous_year"]),
            change=_number(row["change"]),
            comparable=not bool(row["scale_break"]),
            national_rank_change=_int(row["national_rank_change"]),
            comparison_rank_change=_int(row["comparison_rank_change"]),
            gap_to_comparison_best=_number(row["gap_to_comparison_best"]),
            gap_to_comparison_median=_number(row["gap_to_comparison_median"]),
            gap_to_national_best=_number(row["gap_to_national_best"]),
            gap_to_national_median=_number(row["gap_to_national_median"]),
            ci_low=_number(row.get("ci_low")),
            ci_high=_number(row.get("ci_high")),
            subdimensions=tuple(SubdimensionResult.from_row(p, ref) for p in parts),
        )

    @property
    def score_display(self) -> str:
        return fmt.number(self.score)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name_vi": self.name_vi,
            "score": self.score,
            "score_display": self.score_display,
            "national_rank": self.national_rank,
            "national_n": self.national_n,
            "regional_rank": self.comparison_rank,
            "regional_n": self.comparison_n,
            "group": self.performance_group,
            "previous_year": self.previous_year,
            "change": self.change,
            "comparable": self.comparable,
            "national_rank_change": self.national_rank_change,
            "regional_rank_change": self.comparison_rank_change,
            "gap_to_regional_best": self.gap_to_comparison_best,
            "gap_to_regional_median": self.gap_to_comparison_median,
            "gap_to_national_best": self.gap_to_national_best,
            "gap_to_national_median": self.gap_to_national_median,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "subdimensions": [s.to_json() for s in self.subdimensions],
        }


@dataclass(frozen=True)
class Predecessor:
    """An old province a new unit was formed from, in its latest year with an aggregate score."""

    unit_id: str
    province: str
    label: str  # 'Cần Thơ (cũ)' where a new unit keeps the name
    unit_type: str
    year: int | None
    total: float | None
    national_rank: int | None
    national_n: int | None
    performance_group: str | None

    @classmethod
    def of(cls, ref: Reference, unit_id: str, row: dict | None) -> Predecessor:
        """From the province's latest metrics.rank_table row of the aggregate (None: never published)."""
        row = row or {}
        return cls(
            unit_id=unit_id,
            province=ref.unit_name(unit_id),
            label=label(ref, unit_id),
            unit_type=str(ref.unit(unit_id)["unit_type"]),
            year=_int(row.get("year")),
            total=_number(row.get("value")),
            national_rank=_int(row.get("national_rank")),
            national_n=_int(row.get("national_n")),
            performance_group=row.get("performance_group"),
        )

    @property
    def total_display(self) -> str:
        return fmt.number(self.total)

    def to_json(self) -> dict[str, object]:
        return {
            "province": self.province,
            "unit_id": self.unit_id,
            "label": self.label,
            "year": self.year,
            "total": self.total,
            "national_rank": self.national_rank,
            "national_n": self.national_n,
            "group": self.performance_group,
        }


# Keys of the aggregate in the JSON (null when no aggregate is published), with the MeasureResult field.
_TOTAL_KEYS = {
    "national_rank": "national_rank",
    "national_n": "national_n",
    "regional_rank": "comparison_rank",
    "regional_n": "comparison_n",
    "group": "performance_group",
    "previous_year": "previous_year",
    "national_rank_change": "national_rank_change",
    "regional_rank_change": "comparison_rank_change",
    "gap_to_regional_best": "gap_to_comparison_best",
    "gap_to_regional_median": "gap_to_comparison_median",
    "gap_to_national_best": "gap_to_national_best",
    "gap_to_national_median": "gap_to_national_median",
}


@dataclass(frozen=True)
class ProvinceSummary:
    """Everything the overview and the command line report for one unit and year."""

    province: str
    unit_id: str
    unit_type: str
    year: int
    comparison: Comparison
    comparison_members: tuple[str, ...]  # names
    status: Status
    message: str | None = None
    total: MeasureResult | None = None
    dimensions: tuple[MeasureResult, ...] = ()
    missing_dimensions: tuple[str, ...] = ()
    weak_dimensions: tuple[str, ...] = ()
    weakest_dimension: str | None = None  # the dimension to look at first (the dimension page opens on it)
    ahead_in_comparison: tuple[str, ...] = ()  # names of the units ranked above in the comparison group
    before_change: tuple[Predecessor, ...] = ()  # a new unit's old provinces (one if it did not change)
    changed: bool = False  # a new unit formed from several old provinces
    lineage_note: str | None = None  # said first when the unit asked for is another unit in this year's set
    total_weighted: float | None = None  # the weighted aggregate, where stored (the headline stays unweighted)
    # Who has no score, per measure that year (measure, names): why a rank says x/12 in a group of 13.
    national_unscored: tuple[tuple[str, tuple[str, ...]], ...] = ()
    comparison_unscored: tuple[tuple[str, tuple[str, ...]], ...] = ()
    units_in_set: int = 0  # the year's unit set: 63 provinces or 34 units

    @property
    def predecessors(self) -> tuple[Predecessor, ...]:
        """The old provinces a merged unit was formed from; none for a unit that did not change."""
        return self.before_change if self.changed else ()

    @property
    def first_after_change(self) -> bool:
        """A new unit with no earlier year of its own: its predecessors stand in for the change."""
        return bool(self.before_change) and (self.total is None or self.total.previous_year is None)

    @property
    def dimension_count(self) -> int:
        return len(dimensions_for_year(self.year))

    @property
    def scale(self) -> str:
        return "{}–{}".format(*map(int, total_scale(self.year)))

    @property
    def total_change_comparable(self) -> bool:
        return self.total is None or self.total.comparable

    @property
    def scale_note(self) -> str | None:
        """Said instead of a change when the aggregate's previous year is on the old scale."""
        if self.total_change_comparable:
            return None
        return (
            f"Điểm tổng hợp năm {self.year} theo thang 8 chỉ số (8–80), không so sánh trực tiếp với năm "
            f"{self.total.previous_year} (thang 6 chỉ số, 6–60)."
        )

    def dimension(self, code: str) -> MeasureResult | None:
        return next((d for d in self.dimensions if d.code == code), None)

    def to_json(self, targets: UnitTargets | None = None) -> dict[str, object]:
        """The command line's `summary --json` (documented keys; other tools read them). With targets (issue 22),
        the aggregate and each dimension also carry targets.json_keys, and `targets_note` says what every such
        figure assumes."""
        total = self.total
        out: dict[str, object] = {
            "province": self.province,
            "unit_id": self.unit_id,
            "unit_type": self.unit_type,
            "year": self.year,
            "region": self.comparison.label,
            "comparison_phrase": self.comparison.phrase,
            "comparison_members": list(self.comparison_members),
            "status": self.status.value,
            "message": self.message,
            "dimensions": [d.to_json() for d in self.dimensions],
            "missing_dimensions": list(self.missing_dimensions),
            "weak_dimensions": list(self.weak_dimensions),
            "dimension_count": self.dimension_count,
            "scale": self.scale,
            "total": total.score if total else None,
            "total_display": total.score_display if total else None,
        }
        out.update({key: getattr(total, field) if total else None for key, field in _TOTAL_KEYS.items()})
        out.update(
            total_change=total.change if total else None,
            total_change_comparable=self.total_change_comparable,
            ahead_in_region=list(self.ahead_in_comparison),
            scale_note=self.scale_note,
            predecessors=[p.to_json() for p in self.predecessors],
            lineage_note=self.lineage_note,
            total_ci_low=total.ci_low if total else None,
            total_ci_high=total.ci_high if total else None,
            total_weighted=self.total_weighted,
        )
        if targets is not None:
            _add_targets(out, targets)
        return out


def _add_targets(out: dict[str, object], targets: UnitTargets) -> None:
    out.update(json_keys(targets, TOTAL))
    for dimension in out["dimensions"]:
        dimension.update(json_keys(targets, dimension["code"]))
    out["targets_note"] = TARGETS_NOTE.format(year=targets.year)


def province_summary(
    table: pd.DataFrame, ref: Reference, unit_id: str, year: int, comparison: Comparison, year_unit_set: str
) -> ProvinceSummary:
    """table: metrics.rank_table computed with comparison.peers."""
    return province_summaries(table, ref, year, year_unit_set, {unit_id: comparison})[unit_id]


def province_summaries(
    table: pd.DataFrame, ref: Reference, year: int, year_unit_set: str, comparisons: dict[str, Comparison]
) -> dict[str, ProvinceSummary]:
    """Summaries of several units of one year at once (the table work is done once for all)."""
    year_rows = table[table.year.to_numpy() == year]
    wanted = year_rows[year_rows.unit_id.isin(list(comparisons))]
    by_unit: dict[str, dict[str, dict]] = {u: {} for u in comparisons}
    for record in wanted.to_dict("records"):
        by_unit[record["unit_id"]][record["measure"]] = record
    ahead = units_ahead(year_rows)
    before = _before_change(table, ref, list(comparisons))
    scored = {m: set(units) for m, units in year_rows.groupby("measure").unit_id}
    measures = (TOTAL, *dimensions_for_year(year))
    in_set = ref.units_of_set(year_unit_set).unit_id.tolist()
    national = _unscored(ref, scored, measures, in_set)
    return {
        unit_id: replace(
            _summary(ref, unit_id, year, comparison, year_unit_set, by_unit[unit_id], ahead.get(unit_id, [])),
            before_change=before[unit_id],
            changed=changed(ref, unit_id),
            national_unscored=national,
            comparison_unscored=_unscored(ref, scored, measures, comparison.unit_ids),
            units_in_set=len(in_set),
        )
        for unit_id, comparison in comparisons.items()
    }


def _unscored(
    ref: Reference, scored: dict[str, set[str]], measures: tuple[str, ...], unit_ids
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(measure, names of the units without a score for it), for the measures some unit lacks."""
    missing = ((m, tuple(ref.unit_name(u) for u in unit_ids if u not in scored.get(m, ()))) for m in measures)
    return tuple((m, names) for m, names in missing if names)


def _before_change(table: pd.DataFrame, ref: Reference, unit_ids: list[str]) -> dict[str, tuple[Predecessor, ...]]:
    """Each new unit's old provinces in their latest year with an aggregate score (national figures only,
    so any comparison group's table gives the same answer)."""
    olds = {unit_id: before_change(ref, unit_id) for unit_id in unit_ids}
    wanted = {old for group in olds.values() for old in group}
    latest: dict[str, dict] = {}
    if wanted:
        rows = table.loc[(table.measure.to_numpy() == TOTAL) & table.unit_id.isin(wanted).to_numpy()]
        latest = {r["unit_id"]: r for r in rows.sort_values("year").to_dict("records")}  # the last year wins
    return {unit: tuple(Predecessor.of(ref, old, latest.get(old)) for old in group) for unit, group in olds.items()}


def _summary(
    ref: Reference,
    unit_id: str,
    year: int,
    comparison: Comparison,
    year_unit_set: str,
    rows: dict[str, dict],
    ahead: list[str],
) -> ProvinceSummary:
    name = ref.unit_name(unit_id)
    unit = ref.unit(unit_id)
    base = ProvinceSummary(
        province=name,
        unit_id=unit_id,
        unit_type=str(unit["unit_type"]),
        year=year,
        comparison=comparison,
        comparison_members=tuple(ref.unit_name(u) for u in comparison.unit_ids),
        status=Status.OK,
    )
    if unit["unit_set"] != year_unit_set:
        return replace(base, status=Status.NOT_A_UNIT, message=_not_a_unit_message(ref, unit_id, year, year_unit_set))
    if not rows:
        message = f"PAPI {year} không công bố điểm của {name} (tỉnh không được khảo sát hoặc không xếp hạng năm đó)."
        return replace(base, status=Status.NO_DATA, message=message)
    expected = dimensions_for_year(year)
    dims = [d for d in expected if d in rows]
    parts = {d: tuple(rows[m] for m in sorted(rows, key=_part_order) if m.startswith(d + ".")) for d in dims}
    weighted = rows.get(WEIGHTED_TOTAL)
    result = replace(
        base,
        total_weighted=_number(weighted["value"]) if weighted else None,
        dimensions=tuple(MeasureResult.from_row(rows[d], ref, parts[d]) for d in dims),
        missing_dimensions=tuple(d for d in expected if d not in rows),
        weak_dimensions=tuple(weak_dimensions([rows[d] for d in dims])),
        weakest_dimension=next(iter(weakest_first([rows[d] for d in dims])), None),
    )
    if TOTAL not in rows:
        message = (
            f"PAPI {year} không công bố điểm tổng hợp của {name} "
            f"(chỉ có {len(dims)}/{len(expected)} chỉ số nội dung); không xếp hạng tổng hợp."
        )
        return replace(result, status=Status.NO_TOTAL, message=message)
    return replace(
        result,
        total=MeasureResult.from_row(rows[TOTAL], ref),
        ahead_in_comparison=tuple(ref.unit_name(u) for u in ahead),
    )


def _part_order(code: str) -> tuple[int, ...]:
    """'D1.10' after 'D1.9'."""
    return tuple(int(x) for x in code[1:].split(".")) if code[1:].replace(".", "").isdigit() else (99,)


def _not_a_unit_message(ref: Reference, unit_id: str, year: int, year_unit_set: str) -> str:
    name = ref.unit_name(unit_id)
    message = (
        f"{name} không phải đơn vị được PAPI {year} đánh giá: số liệu năm {year} theo {UNIT_SET_LABELS[year_unit_set]}."
    )
    if successor := ref.successor(unit_id):
        message += f" Từ 01/07/2025, {name} thuộc {ref.unit_name(successor)}."
    return message
