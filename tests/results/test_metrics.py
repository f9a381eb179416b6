"""The analysis core reproduces the published figures, from the stored real data."""

from __future__ import annotations

import pandas as pd
import pytest

from papi_analysis.domain import GROUPS, TOTAL
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import rank_table, units_ahead, weak_dimensions
from papi_analysis.results.summary import Status, province_summaries, province_summary

SOC_TRANG = "old:soc-trang"


@pytest.fixture(scope="module")
def table(scores, ref):
    return rank_table(scores, ref.units)


def row(table, unit_id, year, measure=TOTAL) -> pd.Series:
    match = table[(table.unit_id == unit_id) & (table.year == year) & (table.measure == measure)]
    assert len(match) == 1
    return match.iloc[0]


def test_soc_trang_2022_as_the_2023_plan_states(table, ref):
    total = row(table, SOC_TRANG, 2022)
    assert total.value == pytest.approx(42.8559, abs=1e-4)
    assert (total.national_rank, total.national_n) == (24, 61)
    assert total.national_rank_change == 27
    assert (total.comparison_rank, total.comparison_n) == (3, 13)
    assert total.comparison_rank_change == 6
    assert total.performance_group == "Trung bình cao"
    ahead = units_ahead(table[table.year == 2022])[SOC_TRANG]
    assert [ref.unit_name(u) for u in ahead] == ["Bạc Liêu", "Vĩnh Long"]


@pytest.mark.parametrize(
    ("measure", "group"),
    [
        ("D4", "Cao nhất"),
        ("D5", "Cao nhất"),
        ("D7", "Cao nhất"),
        ("D3", "Trung bình cao"),
        ("D2", "Trung bình thấp"),
        ("D6", "Trung bình thấp"),
        ("D8", "Trung bình thấp"),
        ("D1", "Thấp nhất"),
    ],
)
def test_soc_trang_2022_dimension_groups(table, measure, group):
    assert row(table, SOC_TRANG, 2022, measure).performance_group == group


def test_weak_dimensions_are_the_two_lower_groups_weakest_first(table):
    weak = weak_dimensions(table[(table.unit_id == SOC_TRANG) & (table.year == 2022)])
    assert weak[0] == "D1"
    assert set(weak) == {"D1", "D2", "D6", "D8"}


def test_equal_two_decimal_scores_share_the_better_rank(table, ref):
    dak_nong = row(table, "old:dak-nong", 2021)
    soc_trang = row(table, SOC_TRANG, 2021)
    assert round(dak_nong.value, 2) == round(soc_trang.value, 2) == 40.04
    assert dak_nong.value != soc_trang.value
    assert dak_nong.national_rank == soc_trang.national_rank == 51


@pytest.mark.parametrize(
    ("year", "ranked", "missing"),
    [
        (2014, 61, ["Bắc Giang", "Đồng Tháp"]),
        (2018, 61, ["Quảng Ninh", "Đồng Tháp"]),
        (2021, 60, ["Bắc Giang", "Bắc Ninh", "Quảng Ninh"]),
        (2022, 61, ["Bắc Giang", "Bắc Ninh"]),
        (2023, 61, ["Quảng Ninh", "Bình Dương"]),
        (2024, 61, ["Vĩnh Phúc", "Tiền Giang"]),
        (2019, 63, []),
    ],
)
def test_missing_provinces_are_excluded_from_n_ranks_and_groups(table, ref, year, ranked, missing):
    totals = table[(table.year == year) & (table.measure == TOTAL)]
    assert len(totals) == ranked
    assert set(totals.national_n) == {ranked}
    assert totals.national_rank.max() <= ranked
    names = set(totals.unit_id.map(ref.unit_name))
    assert not names & set(missing)
    counts = totals.performance_group.value_counts()
    # quartile groups of n scores: each holds about a quarter
    assert all(abs(counts[g] - ranked / 4) <= 2 for g in GROUPS)


def test_change_uses_the_previous_year_with_data(table):
    d1 = row(table, "old:bac-ninh", 2022, "D1")  # Bắc Ninh has no 2021 scores
    assert d1.previous_year == 2020
    assert d1.change == pytest.approx(d1.value - row(table, "old:bac-ninh", 2020, "D1").value)


def test_the_2017_to_2018_scale_change_is_flagged_not_a_plain_delta(table):
    total = row(table, SOC_TRANG, 2018)
    assert total.previous_year == 2017
    assert total.scale_break
    assert pd.isna(total.change)
    d1 = row(table, SOC_TRANG, 2018, "D1")
    assert d1.scale_break and not pd.isna(d1.change)
    assert not row(table, SOC_TRANG, 2019).scale_break
    assert not row(table, SOC_TRANG, 2017).scale_break


def test_gaps_to_best_and_median(table):
    total = row(table, SOC_TRANG, 2022)
    bac_lieu = row(table, "old:bac-lieu", 2022)
    assert total.gap_to_comparison_best == pytest.approx(bac_lieu.value - total.value)
    assert (
        total.gap_to_national_best == pytest.approx(total.national_best - total.value)
        and total.gap_to_national_best > 0
    )
    mekong = table[(table.year == 2022) & (table.measure == TOTAL) & (table.region_id == "dong-bang-song-cuu-long")]
    assert total.gap_to_comparison_median == pytest.approx(mekong.value.median() - total.value)


def test_ranks_and_groups_on_a_small_synthetic_year():
    scores = pd.DataFrame(
        {
            "year": 2020,
            "measure": TOTAL,
            "unit_id": list("abcdefgh"),
            "value": [50.004, 49.996, 48.0, 47.0, 46.0, 45.0, 44.0, None],
        }
    )
    units = pd.DataFrame({"unit_id": list("abcdefgh"), "region_id": ["r1"] * 4 + ["r2"] * 4})
    t = rank_table(scores, units).set_index("unit_id")
    assert t.loc["a"].national_rank == t.loc["b"].national_rank == 1  # 50.00 and 50.00
    assert t.loc["c"].national_rank == 3
    assert "h" not in t.index and set(t.national_n) == {7}
    # quartiles of 7 values (linear interpolation): P25 = 45.5, P50 = 47, P75 = 48.998
    assert t.loc["b"].performance_group == "Cao nhất" and t.loc["c"].performance_group == "Trung bình cao"
    assert t.loc["d"].performance_group == "Trung bình cao"  # = P50
    assert t.loc["e"].performance_group == "Trung bình thấp"
    assert t.loc["f"].performance_group == "Thấp nhất"
    assert (t.loc["e"].comparison_rank, t.loc["e"].comparison_n) == (1, 3)


def test_summary_for_another_region_counts_the_focus_in_the_group(store, ref, scores):
    comparison = comparison_group(ref, SOC_TRANG, "old", region_id="dong-nam-bo")
    assert comparison.peers == comparison.unit_ids  # another region: its members plus the focus
    table = rank_table(scores, ref.units, peers=comparison.peers)
    summary = province_summary(table, ref, SOC_TRANG, 2022, comparison, "old")
    assert summary.total.comparison_n == 7  # six Đông Nam Bộ provinces + Sóc Trăng
    assert summary.to_json()["regional_n"] == 7 and summary.to_json()["region"] == "Đông Nam Bộ"


@pytest.mark.slow
def test_summaries_of_all_provinces_at_once_equal_one_by_one(scores, ref, table):
    comparisons = {u: comparison_group(ref, u, "old") for u in ref.units_of_set("old").unit_id}
    together = province_summaries(table, ref, 2022, "old", comparisons)
    assert len(together) == 63
    for unit_id, comparison in comparisons.items():
        assert together[unit_id] == province_summary(table, ref, unit_id, 2022, comparison, "old"), unit_id
    assert together[SOC_TRANG].ahead_in_comparison == ("Bạc Liêu", "Vĩnh Long")
    assert together["old:bac-ninh"].status is Status.NO_TOTAL
