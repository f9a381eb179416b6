"""The rules pages rely on, tested in the core: which unit a province is in another unit set, which
group a unit is compared with, what a general task is, where the scale breaks, the group's best and
median from rank_table, and the summary's JSON keys."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from papi_analysis import domain
from papi_analysis.plan.plan_tasks import default_plan, is_general, specific_to, with_dimensions
from papi_analysis.present.prose import change_caveat, dimension_notes, trend_caveat
from papi_analysis.results import lineage
from papi_analysis.results.comparison_group import comparison_group, region_by_name
from papi_analysis.results.metrics import comparison_by_year, comparison_profile, rank_table, same_era_history
from papi_analysis.results.summary import province_summary

SOC_TRANG = "old:soc-trang"
MEKONG = "dong-bang-song-cuu-long"


# --- units across unit sets ---------------------------------------------------------------------
def test_default_unit_is_the_home_province_or_its_successor(ref):
    assert lineage.default_unit(ref, "old") == SOC_TRANG
    assert lineage.default_unit(ref, "new") == "new:can-tho"


def test_a_province_follows_its_lineage_between_unit_sets(ref):
    to_new = lineage.focus_in_set(ref, SOC_TRANG, "new", 2025)
    assert to_new.unit_id == "new:can-tho" and "Sóc Trăng → Cần Thơ" in to_new.notice
    assert lineage.focus_in_set(ref, "new:can-tho", "old", 2024).unit_id == "old:can-tho"
    assert lineage.focus_in_set(ref, "new:ho-chi-minh", "old", 2024).unit_id == "old:ho-chi-minh"
    unchanged = lineage.focus_in_set(ref, SOC_TRANG, "old", 2024)
    assert unchanged == lineage.Focus(SOC_TRANG)  # no notice when nothing changes
    assert lineage.focus_in_set(ref, None, "new", 2025).unit_id == "new:can-tho"


def test_every_new_unit_goes_back_to_the_old_province_whose_name_it_keeps(ref):
    for unit_id in ref.units_of_set("new").unit_id:
        old = lineage.counterpart(ref, unit_id, "old")
        assert old in ref.predecessors(unit_id), unit_id
    assert lineage.counterpart(ref, "new:hue", "old") == "old:thua-thien-hue"  # through its alias


def test_every_old_province_has_a_successor_among_the_34(ref):
    successors = {lineage.counterpart(ref, u, "new") for u in ref.units_of_set("old").unit_id}
    assert successors == set(ref.units_of_set("new").unit_id)


# --- comparison groups --------------------------------------------------------------------------
def test_own_region_needs_no_peers_other_regions_and_lists_do(ref):
    own = comparison_group(ref, SOC_TRANG, "old")
    assert own.own_region and own.peers is None and own.region_id == MEKONG and len(own.unit_ids) == 13
    other = comparison_group(ref, SOC_TRANG, "old", region_id="dong-nam-bo")
    assert not other.own_region and other.peers == other.unit_ids and SOC_TRANG in other.unit_ids
    assert other.phrase == "trong nhóm Sóc Trăng và các tỉnh khu vực Đông Nam Bộ"
    listed = comparison_group(ref, SOC_TRANG, "old", unit_ids=["old:bac-lieu", "old:ca-mau"])
    assert listed.unit_ids == (SOC_TRANG, "old:bac-lieu", "old:ca-mau") and not listed.is_region
    assert len(comparison_group(ref, "new:can-tho", "new").unit_ids) == 6


def test_a_region_is_found_by_any_spelling_or_refused(ref):
    assert region_by_name(ref, "dong bang song cuu long") == MEKONG
    with pytest.raises(ValueError, match="Các vùng: Trung du"):
        region_by_name(ref, "Nam Bộ")


# --- tasks --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tasks(store):
    return with_dimensions(store.tasks())


def test_general_tasks_are_those_aimed_at_the_whole_index(tasks):
    general = tasks[is_general(tasks)]
    assert len(general) == 10
    assert general.tag_basis.str.startswith("Toàn bộ Chỉ số PAPI").all()
    d1 = specific_to(tasks, "D1")
    assert len(d1) and not is_general(d1).any() and d1.dimensions.map(lambda ds: "D1" in ds).all()


def test_the_default_plan_is_the_one_written_after_the_year(store):
    plans = store.plans()
    assert default_plan(plans, 2022) == "120/KH-UBND-2023"
    two = pd.concat([plans, plans.assign(plan_id="95/KH-UBND-2024", target_year=2024)])
    assert default_plan(two.sort_values("target_year", ascending=False), 2023) == "95/KH-UBND-2024"
    assert default_plan(two.sort_values("target_year", ascending=False), 2019) == "95/KH-UBND-2024"


# --- the scale break ----------------------------------------------------------------------------
def test_scale_labels_and_eras():
    assert domain.scale_label("TOTAL", 2017) == "điểm (thang 6–60)"
    assert domain.scale_label("TOTAL", 2018) == "điểm (thang 8–80)"
    assert domain.scale_label("D3", 2012) == "điểm (thang 1–10)"
    assert domain.same_scale(2018, 2024) and not domain.same_scale(2017, 2018)


def test_the_aggregate_history_stays_on_one_scale(ref, scores):
    table = rank_table(scores, ref.units)
    assert list(same_era_history(table, SOC_TRANG, 2022).year) == list(range(2018, 2025))
    assert list(same_era_history(table, SOC_TRANG, 2015).year) == list(range(2011, 2018))


def test_caveats_name_the_break():
    assert change_caveat("TOTAL", 2018) == "Năm 2018: không tính thay đổi điểm tổng hợp so với 2017 (khác thang điểm)."
    assert change_caveat("TOTAL", 2019) is None and change_caveat("D1", 2018) is None
    assert "đổi thang năm 2018" in trend_caveat("TOTAL")
    assert "xây dựng lại năm 2016" in trend_caveat("D3") and trend_caveat("D4") is None


# --- best and median from rank_table ------------------------------------------------------------
def test_group_best_median_and_mean_come_from_rank_table(ref, scores):
    comparison = comparison_group(ref, SOC_TRANG, "old")
    table = rank_table(scores, ref.units, peers=comparison.peers)
    by_year = comparison_by_year(table, comparison.unit_ids, "D1")
    values = scores[(scores.measure == "D1") & scores.unit_id.isin(comparison.unit_ids)]
    expected = values.groupby("year").value
    pd.testing.assert_series_equal(by_year.comparison_best, expected.max(), check_names=False)
    pd.testing.assert_series_equal(by_year.comparison_median, expected.median(), check_names=False)
    national = scores[scores.measure == "D1"].groupby("year").value.median()
    pd.testing.assert_series_equal(by_year.national_median, national, check_names=False)
    profile = comparison_profile(table, comparison.unit_ids, 2022)
    mekong_2022 = scores[(scores.year == 2022) & scores.unit_id.isin(comparison.unit_ids)]
    assert profile.loc["D5", "comparison_mean"] == pytest.approx(mekong_2022[mekong_2022.measure == "D5"].value.mean())


# --- the summary ------------------------------------------------------------------------------
JSON_KEYS = {
    "province", "unit_id", "unit_type", "year", "region", "comparison_phrase", "comparison_members", "status",
    "message", "dimensions", "missing_dimensions", "weak_dimensions", "dimension_count", "scale", "total",
    "total_display", "national_rank", "national_n", "regional_rank", "regional_n", "group", "previous_year",
    "national_rank_change", "regional_rank_change", "gap_to_regional_best", "gap_to_regional_median",
    "gap_to_national_best", "gap_to_national_median", "total_change", "total_change_comparable", "ahead_in_region",
    "scale_note",
}  # fmt: skip
DIMENSION_KEYS = {
    "code", "name_vi", "score", "score_display", "national_rank", "national_n", "regional_rank", "regional_n",
    "group", "previous_year", "change", "comparable", "national_rank_change", "regional_rank_change",
    "gap_to_regional_best", "gap_to_regional_median", "gap_to_national_best", "gap_to_national_median",
}  # fmt: skip


@pytest.mark.parametrize(("unit_id", "year"), [(SOC_TRANG, 2022), ("old:bac-ninh", 2022), ("old:bac-giang", 2014)])
def test_summary_json_keeps_every_documented_key(ref, scores, unit_id, year):
    comparison = comparison_group(ref, unit_id, "old")
    summary = province_summary(rank_table(scores, ref.units), ref, unit_id, year, comparison, "old")
    out = json.loads(json.dumps(summary.to_json(), allow_nan=False))
    assert JSON_KEYS <= out.keys()
    assert all(DIMENSION_KEYS <= d.keys() for d in out["dimensions"])


def test_dimension_notes_say_why_a_figure_is_missing(ref, scores):
    table = rank_table(scores, ref.units)
    bac_ninh = province_summary(table, ref, "old:bac-ninh", 2022, comparison_group(ref, "old:bac-ninh", "old"), "old")
    assert "PAPI 2022 không công bố D2, D3, D4, D8 của Bắc Ninh." in dimension_notes(bac_ninh)
    early = province_summary(table, ref, SOC_TRANG, 2016, comparison_group(ref, SOC_TRANG, "old"), "old")
    assert any("D7 Quản trị môi trường" in note for note in dimension_notes(early))
