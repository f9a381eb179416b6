"""What it takes (issue 22), on the verified data: Sóc Trăng 2022's targets against an independent recomputation —
the year's quartiles and the cuts computed by hand, each goal reached at the computed points and not 0,01 below
when the real rank table is recomputed with the new score — and the same rules proved on random distributions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papi_analysis.domain import DIMENSIONS, GROUPS, TOTAL
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import groups_if, rank_among, rank_table
from papi_analysis.results.targets import RankGoal, Scope, group_cuts, json_keys, unit_targets

SOC_TRANG = "old:soc-trang"
MEASURES = (TOTAL, *DIMENSIONS)


@pytest.fixture(scope="module")
def table(scores, ref):
    return rank_table(scores, ref.units, peers=comparison_group(ref, SOC_TRANG, "old").peers)


@pytest.fixture(scope="module")
def targets_2022(table):
    return unit_targets(table, SOC_TRANG, 2022)


# --- by hand: no numpy quantile, no metrics ----------------------------------------------------------------
def quartile_by_hand(values: list[float], p: float) -> float:
    """The linear-interpolated percentile as PAPI.md defines it: position (n-1)p in the sorted values."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * p
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def group_by_hand(score: float, others: list[float]) -> str:
    everyone = [*others, score]
    cuts = [quartile_by_hand(everyone, p) for p in (0.75, 0.5, 0.25)]
    return next((g for g, cut in zip(GROUPS, cuts, strict=False) if score >= cut), GROUPS[-1])


def cut_by_hand(group: str, others: list[float]) -> float:
    """The lowest score that is in `group` or better, scanning every score a unit could have to 4 decimals
    around the others' (the answer must be one of them: checked, not assumed)."""
    wanted = GROUPS.index(group)
    reaching = [x for x in sorted(set(others)) if GROUPS.index(group_by_hand(x, others)) <= wanted]
    cut = reaching[0]
    below = cut - 1e-4
    assert GROUPS.index(group_by_hand(below, others)) > wanted  # nothing a hair lower reaches it
    return cut


def year_values(table, year: int, measure: str) -> pd.DataFrame:
    return table[(table.year == year) & (table.measure == measure)]


def others_of(table, year: int, measure: str, unit_id: str = SOC_TRANG) -> list[float]:
    rows = year_values(table, year, measure)
    return rows[rows.unit_id != unit_id].value.tolist()


def rows_with(scores: pd.DataFrame, year: int, measure: str, value: float) -> pd.DataFrame:
    """The year's scores of a measure with Sóc Trăng's replaced: what rank_table would say then."""
    chosen = scores[(scores.year == year) & (scores.measure == measure)].copy()
    chosen.loc[chosen.unit_id == SOC_TRANG, "value"] = value
    return chosen


def focus_row(scores, ref, year: int, measure: str, value: float, peers=None) -> pd.Series:
    recomputed = rank_table(rows_with(scores, year, measure, value), ref.units, peers=peers)
    return recomputed[recomputed.unit_id == SOC_TRANG].iloc[0]


# --- Sóc Trăng 2022, the named facts ------------------------------------------------------------------------
def test_the_year_s_quartiles_by_hand_are_rank_table_s(table):
    for measure in MEASURES:
        rows = year_values(table, 2022, measure)
        for p, column in ((0.25, "p25"), (0.5, "p50"), (0.75, "p75")):
            assert quartile_by_hand(rows.value.tolist(), p) == pytest.approx(rows[column].iloc[0], abs=1e-12)


def test_soc_trang_2022_cuts_agree_with_a_recomputation_by_hand(table, targets_2022):
    for m in targets_2022.measures:
        others = others_of(table, 2022, m.code)
        assert group_by_hand(m.score, others) == m.group  # the published group (PAPI.md), by hand
        if m.to_next_group:
            cut = cut_by_hand(m.to_next_group.group, others)
            assert m.to_next_group.cut == pytest.approx(cut, abs=1e-12)
            assert m.to_next_group.points == math.ceil(round((cut - m.score) * 100, 6)) / 100
        if m.margin_to_lower_group:
            cut = cut_by_hand(m.group, others)
            assert m.margin_to_lower_group.cut == pytest.approx(cut, abs=1e-12)
            assert m.margin_to_lower_group.points == math.floor(round((m.score - cut) * 100, 6)) / 100


def test_soc_trang_2022_as_a_leader_reads_it(targets_2022):
    d1, d3, d8 = (targets_2022.measure(c) for c in ("D1", "D3", "D8"))
    # D1 sits 0,0003 under the year's P25 (4,4924): one hundredth takes it out of Thấp nhất.
    assert (d1.group, d1.to_next_group.group, d1.to_next_group.points) == ("Thấp nhất", "Trung bình thấp", 0.01)
    assert d1.margin_to_lower_group is None
    assert (d3.to_next_group.group, d3.to_next_group.points, d3.margin_to_lower_group.points) == (
        "Cao nhất",
        0.04,
        0.05,
    )
    assert (d8.to_next_group.points, d8.ranks_per_tenth) == (0.02, 13)
    assert targets_2022.measure("D4").to_next_group is None  # Cao nhất: nothing above
    total = targets_2022.total
    assert (total.to_next_group.group, total.to_next_group.points, total.margin_to_lower_group.points) == (
        "Cao nhất",
        0.59,
        0.70,
    )
    assert [m.code for m in targets_2022.by_payoff()][:3] == ["D8", "D3", "D2"]  # 13, 10 and 8 places per 0,10


def test_the_cut_is_the_year_s_quartile_only_where_it_falls_on_a_score(table, targets_2022):
    """Sóc Trăng is one of the units the quartiles are computed over, so its own rise moves them. D6 2022: the
    year's P50 (7,5189) is a province's score, and the cut. D3 2022: P75 (4,3964) lies between two scores, and
    moving up to it would raise it: the cut is the upper score, 4,3967."""
    d6, d3 = targets_2022.measure("D6"), targets_2022.measure("D3")
    p50_d6 = year_values(table, 2022, "D6").p50.iloc[0]
    p75_d3 = year_values(table, 2022, "D3").p75.iloc[0]
    assert d6.to_next_group.group == "Trung bình cao" and d6.to_next_group.cut == pytest.approx(p50_d6, abs=1e-12)
    assert d3.to_next_group.group == "Cao nhất" and d3.to_next_group.cut > p75_d3 + 1e-4
    assert group_by_hand(p75_d3, others_of(table, 2022, "D3")) == "Trung bình cao"  # the quartile is not enough


@pytest.mark.slow
def test_every_group_step_and_margin_holds_in_the_real_rank_table(scores, ref, targets_2022):
    for m in targets_2022.measures:
        if m.to_next_group:
            up = m.to_next_group
            assert focus_row(scores, ref, 2022, m.code, m.score + up.points).performance_group == up.group
            below = focus_row(scores, ref, 2022, m.code, m.score + up.points - 0.01).performance_group
            assert GROUPS.index(below) > GROUPS.index(up.group)
        if m.margin_to_lower_group:
            keep = m.margin_to_lower_group.points
            assert focus_row(scores, ref, 2022, m.code, m.score - keep).performance_group == m.group
            assert focus_row(scores, ref, 2022, m.code, m.score - keep - 0.01).performance_group != m.group


@pytest.mark.slow
@pytest.mark.parametrize("scope", list(Scope))
def test_a_target_rank_is_reached_at_the_points_and_not_a_hundredth_below(scores, ref, table, scope):
    peers = comparison_group(ref, SOC_TRANG, "old").peers
    column = "national_rank" if scope is Scope.NATIONAL else "comparison_rank"
    for rank in (1, 2, 5, 10, 20, 40) if scope is Scope.NATIONAL else (1, 2, 3, 5):
        targets = unit_targets(table, SOC_TRANG, 2022, RankGoal(rank, scope))
        for m in targets.measures:
            step = m.to_rank
            now = focus_row(scores, ref, 2022, m.code, m.score, peers)
            assert step.rank_now == now[column]
            reached = focus_row(scores, ref, 2022, m.code, m.score + step.points, peers)
            assert reached[column] <= rank, (m.code, rank, step)
            if step.points:
                short = focus_row(scores, ref, 2022, m.code, m.score + step.points - 0.01, peers)
                assert short[column] > rank, (m.code, rank, step)
            else:
                assert now[column] <= rank


def test_twenty_fourth_to_twentieth_in_2022(targets_2022, table):
    """The aggregate at 42,86 (24/61): rank 20 takes the figure of the 20th other province, 43,11."""
    total = unit_targets(table, SOC_TRANG, 2022, RankGoal(20)).total
    figures = sorted((round(v, 2) for v in others_of(table, 2022, TOTAL)), reverse=True)
    assert (total.to_rank.rank_now, total.to_rank.score, total.to_rank.points) == (24, figures[19], 0.25)


def test_ranks_per_tenth_counts_the_provinces_passed(scores, ref, targets_2022):
    for m in targets_2022.measures:
        after = focus_row(scores, ref, 2022, m.code, m.score + 0.1)
        assert m.national_rank - after.national_rank == m.ranks_per_tenth


def test_rank_among_is_rank_table_s_rank_ties_included(table):
    """2021: Đắk Nông 40,0444 and Sóc Trăng 40,0361 are both 40,04 and both 51st (PAPI.md)."""
    for year in (2021, 2022):
        for measure in MEASURES:
            rows = year_values(table, year, measure)
            values = rows.value.to_numpy()
            for i, row in enumerate(rows.itertuples()):
                assert rank_among(row.value, np.delete(values, i)) == row.national_rank
    assert year_values(table, 2021, TOTAL).set_index("unit_id").national_rank[SOC_TRANG] == 51


def test_a_regional_goal_beyond_the_region_has_no_figure(table):
    targets = unit_targets(table, SOC_TRANG, 2022, RankGoal(14, Scope.REGIONAL))
    assert all(m.to_rank is None for m in targets.measures)
    assert json_keys(targets, "D1")["to_rank"] is None


def test_no_figure_for_a_unit_or_measure_without_a_score(table):
    assert unit_targets(table, "old:bac-giang", 2014).measures == ()  # nothing published
    bac_ninh = unit_targets(table, "old:bac-ninh", 2022)  # partial: no aggregate, no D2, D4
    assert bac_ninh.total is None and {m.code for m in bac_ninh.measures} == {"D1", "D5", "D6", "D7"}
    assert json_keys(bac_ninh, TOTAL) == {"to_next_group": None, "margin_to_lower_group": None, "ranks_per_tenth": None}
    assert unit_targets(table, SOC_TRANG, 2017).measure("D7") is None  # D7 from 2018


def test_sub_dimensions_have_targets_where_stored(table):
    targets = unit_targets(table, SOC_TRANG, 2016)
    parts = targets.subdimensions("D1")
    assert [m.code for m in parts] == ["D1.1", "D1.2", "D1.3", "D1.4"]
    for m in parts:
        others = others_of(table, 2016, m.code)
        assert group_by_hand(m.score, others) == m.group
        if m.to_next_group:
            assert m.to_next_group.cut == pytest.approx(cut_by_hand(m.to_next_group.group, others), abs=1e-12)


def test_a_stored_interval_says_when_the_points_are_within_the_margin_of_error(table):
    """SYNTHETIC bounds (the seed stores no CI): D3 at 4,3584 needs 4,3967 for Cao nhất."""
    bounded = table.copy()
    focus = (bounded.unit_id == SOC_TRANG) & (bounded.year == 2022) & (bounded.measure == "D3")
    bounded.loc[focus, ["ci_low", "ci_high"]] = [4.20, 4.50]
    d3 = unit_targets(bounded, SOC_TRANG, 2022, RankGoal(1)).measure("D3")
    assert d3.to_next_group.within_ci is True and d3.margin_to_lower_group.within_ci is True
    assert d3.to_rank.within_ci is False  # rank 1 takes far more than the interval
    bounded.loc[focus, ["ci_low", "ci_high"]] = [4.35, 4.37]
    d3 = unit_targets(bounded, SOC_TRANG, 2022).measure("D3")
    assert d3.to_next_group.within_ci is False
    assert unit_targets(table, SOC_TRANG, 2022).measure("D3").to_next_group.within_ci is None  # none stored


# --- the rule on random distributions ----------------------------------------------------------------------
scores_strategy = st.lists(
    st.floats(min_value=1, max_value=10, allow_nan=False).map(lambda v: round(v, 2)), min_size=3, max_size=70
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(others=scores_strategy, focus=st.floats(min_value=1, max_value=10, allow_nan=False))
def test_each_cut_is_the_lowest_score_reaching_its_group(others, focus):
    """Whatever the distribution (ties, two-decimal clusters, any size): the cut reaches the group by the
    rule, 0,0001 less does not, and it is one of the other units' scores."""
    values = np.array(others)
    cuts = group_cuts(values)
    for group, cut in cuts.items():
        wanted = GROUPS.index(group)
        assert cut in set(others)
        assert GROUPS.index(groups_if([cut], values)[0]) <= wanted
        assert GROUPS.index(groups_if([cut - 1e-4], values)[0]) > wanted
        assert GROUPS.index(group_by_hand(cut, others)) <= wanted
    level = GROUPS.index(groups_if([focus], values)[0])
    assert all(focus >= cut for group, cut in cuts.items() if GROUPS.index(group) >= level)
