"""The 2025 reorganisation end to end in the core (issue 12): every one of the 34 units against
data/units_2025.csv, the focus's round trip between unit sets, the summary's predecessors and their JSON,
the paragraph, the command line, and the series of trend charts. 2025 here is SYNTHETIC (tests/helpers)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from papi_analysis.paths import DATA_DIR
from papi_analysis.present.prose import summary_paragraph, summary_text
from papi_analysis.results import lineage
from papi_analysis.results.comparison_group import comparison_group, provisional_regions_note
from papi_analysis.results.metrics import rank_table
from papi_analysis.results.summary import province_summary
from papi_analysis.results.trends import comparison_history, group_history, missing_years_note, unit_history

UNITS_2025 = pd.read_csv(DATA_DIR / "units_2025.csv", dtype=str, keep_default_na=False)
MEKONG = "dong-bang-song-cuu-long"


def new_id(name: str) -> str:
    return "new:" + UNITS_2025.set_index("unit").loc[name, "slug"]


@pytest.fixture(scope="module")
def table_2025(new_units_store):
    ref = new_units_store.reference()
    return ref, rank_table(new_units_store.scores(), ref.units)


# --- the 34 units against data/units_2025.csv ----------------------------------------------------
@pytest.mark.parametrize("row", UNITS_2025.to_dict("records"), ids=list(UNITS_2025.unit))
def test_every_new_unit_has_the_lineage_of_units_2025_csv(ref, row):
    unit_id = "new:" + row["slug"]
    merged_from = row["merged_from"].split(";")
    olds = lineage.before_change(ref, unit_id)
    assert sorted(ref.unit_name(u) for u in olds) == sorted(merged_from)
    assert all(ref.successor(old) == unit_id for old in olds)
    assert lineage.changed(ref, unit_id) == (len(merged_from) > 1)
    namesake = lineage.counterpart(ref, unit_id, "old")
    assert olds[0] == namesake  # the old province whose name it keeps comes first
    assert lineage.label(ref, unit_id) == row["unit"]
    if ref.unit_name(namesake) == row["unit"]:
        assert lineage.label(ref, namesake) == f"{row['unit']} (cũ)"
    else:  # Huế: the old province had another name and keeps it
        assert lineage.label(ref, namesake) == ref.unit_name(namesake)


def test_units_that_did_not_change_are_the_eleven_with_one_predecessor(ref):
    unchanged = sorted(ref.unit_name(u) for u in ref.units_of_set("new").unit_id if not lineage.changed(ref, u))
    expected = sorted(UNITS_2025.unit[~UNITS_2025.merged_from.str.contains(";")])
    assert unchanged == expected and len(unchanged) == 11 and "Huế" in unchanged and "Hà Nội" in unchanged


# --- the focus between unit sets ----------------------------------------------------------------
@pytest.mark.parametrize("old_id", [f"old:{s}" for s in pd.read_csv(DATA_DIR / "provinces.csv").slug])
def test_every_old_province_goes_to_its_unit_and_comes_back(ref, old_id):
    there = lineage.focus_in_set(ref, old_id, "new", 2025)
    assert there.unit_id == ref.successor(old_id) and there.origin == old_id
    back = lineage.focus_in_set(ref, there.unit_id, "old", 2024, origin=there.origin)
    assert back.unit_id == old_id and back.origin is None


def test_the_notices_name_both_places_and_never_the_same_name_twice(ref):
    there = lineage.focus_in_set(ref, "old:soc-trang", "new", 2025)
    assert there.notice.endswith("Sóc Trăng → Cần Thơ (gồm Cần Thơ, Sóc Trăng, Hậu Giang cũ).")
    back = lineage.focus_in_set(ref, "new:can-tho", "old", 2024, origin="old:soc-trang")
    assert back.notice.endswith("Cần Thơ → Sóc Trăng.")
    namesake = lineage.focus_in_set(ref, "new:can-tho", "old", 2024)
    assert namesake.unit_id == "old:can-tho" and namesake.notice.endswith("Cần Thơ → Cần Thơ (cũ).")
    assert lineage.focus_in_set(ref, "old:ha-noi", "new", 2025).notice.endswith("Hà Nội (cũ) → Hà Nội (cùng địa giới).")


def test_the_origin_is_forgotten_when_the_user_picks_another_unit(ref):
    assert lineage.focus_in_set(ref, "new:ca-mau", "new", 2025, origin="old:soc-trang").origin is None
    assert lineage.focus_in_set(ref, None, "new", 2025) == lineage.Focus("new:can-tho", origin="old:soc-trang")


def test_a_hand_picked_list_crosses_the_change_and_back(ref):
    old = ["old:bac-lieu", "old:ca-mau", "old:ben-tre"]
    new = lineage.units_in_set(ref, old, "new")
    assert new == ["new:ca-mau", "new:vinh-long"]
    back = ["old:bac-lieu", "old:ca-mau", "old:ben-tre", "old:tra-vinh", "old:vinh-long"]  # Vĩnh Long's whole territory
    assert lineage.units_in_set(ref, new, "old") == back


# --- comparison groups in both sets ---------------------------------------------------------------
def test_the_mekong_delta_is_13_provinces_then_6_units_and_remembers_the_13(ref):
    old = comparison_group(ref, "old:soc-trang", "old")
    new = comparison_group(ref, "new:can-tho", "new")
    assert len(old.unit_ids) == 13 and old.history_ids == ()
    assert sorted(ref.unit_name(u) for u in new.unit_ids) == [
        "An Giang", "Cà Mau", "Cần Thơ", "Tây Ninh", "Vĩnh Long", "Đồng Tháp",
    ]  # fmt: skip
    assert set(new.history_ids) == set(old.unit_ids) and new.peers is None
    listed = comparison_group(ref, "new:can-tho", "new", unit_ids=["new:ca-mau"])
    assert set(listed.peers) == {"new:can-tho", "new:ca-mau", "old:can-tho", "old:hau-giang", "old:soc-trang",
                                 "old:ca-mau", "old:bac-lieu"}  # fmt: skip


def test_regions_of_the_new_units_are_said_to_be_provisional(ref):
    note = provisional_regions_note(ref, comparison_group(ref, "new:can-tho", "new"), "new")
    assert note.startswith("Vùng của các tỉnh, thành phố mới là tạm xác định")
    assert note.endswith("trừ Tây Ninh (Đồng bằng sông Cửu Long).")  # the old Tây Ninh was in the Southeast
    assert provisional_regions_note(ref, comparison_group(ref, "old:soc-trang", "old"), "old") is None


@pytest.mark.slow
def test_ranks_and_changes_never_mix_the_two_sets(table_2025):
    ref, table = table_2025
    rows_2025 = table[table.year == 2025]
    assert set(rows_2025.unit_id.str[:4]) == {"new:"}
    assert set(rows_2025[rows_2025.measure == "TOTAL"].national_n) == {34}
    assert rows_2025[["previous_year", "change", "national_rank_change", "comparison_rank_change"]].isna().all().all()
    sets = table.unit_id.map(lambda u: ref.unit(u)["unit_set"])
    for unit_set, rows in table.groupby(sets):
        years = set(rows.year)
        assert set(rows.previous_year.dropna().astype(int)) <= years, unit_set


# --- the summary, its JSON and its words ---------------------------------------------------------
def summary_2025(table_2025, unit_id, region_id=None):
    ref, table = table_2025
    comparison = comparison_group(ref, unit_id, "new", region_id=region_id)
    if comparison.peers is not None:
        table = rank_table(table[["year", "unit_id", "measure", "value"]], ref.units, peers=comparison.peers)
    return province_summary(table, ref, unit_id, 2025, comparison, "new")


@pytest.mark.parametrize("row", UNITS_2025.to_dict("records"), ids=list(UNITS_2025.unit))
def test_every_new_unit_lists_its_predecessors_latest_year(table_2025, row, scores):
    summary = summary_2025(table_2025, "new:" + row["slug"])
    out = json.loads(json.dumps(summary.to_json(), allow_nan=False))
    assert out["previous_year"] is None and out["national_rank_change"] is None and out["total_change"] is None
    merged_from = row["merged_from"].split(";")
    assert len(summary.before_change) == len(merged_from) and summary.first_after_change
    if len(merged_from) == 1:
        assert out["predecessors"] == []
        return
    assert sorted(p["province"] for p in out["predecessors"]) == sorted(merged_from)
    totals = scores[scores.measure == "TOTAL"]
    for p in out["predecessors"]:
        assert set(p) >= {"province", "year", "total", "national_rank", "national_n", "group"}
        assert p["year"] == totals[totals.unit_id == p["unit_id"]].year.max()  # its latest year with a total
        assert p["national_n"] == 61 and p["group"] in ("Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất")


def test_a_predecessor_missing_in_2024_reports_its_own_latest_year(table_2025):
    predecessors = {p.province: p for p in summary_2025(table_2025, "new:dong-thap").predecessors}
    assert predecessors["Tiền Giang"].year == 2023 and predecessors["Đồng Tháp"].year == 2024


def test_old_units_have_an_empty_predecessors_list(ref, scores):
    table = rank_table(scores, ref.units)
    summary = province_summary(table, ref, "old:soc-trang", 2022, comparison_group(ref, "old:soc-trang", "old"), "old")
    assert summary.to_json()["predecessors"] == [] and not summary.first_after_change


def test_the_paragraph_of_a_new_unit_says_why_nothing_is_compared(table_2025):
    can_tho = summary_paragraph(summary_2025(table_2025, "new:can-tho"))
    assert "hợp nhất thành phố Cần Thơ, tỉnh Hậu Giang và tỉnh Sóc Trăng" in can_tho
    assert "không so sánh điểm số và thứ hạng với các năm trước" in can_tho
    assert "Năm 2024, Cần Thơ (cũ) đạt" in can_tho and "Sóc Trăng đạt 45,19 điểm (xếp hạng 10/61" in can_tho
    ha_noi = summary_paragraph(summary_2025(table_2025, "new:ha-noi"))
    assert "địa giới của Hà Nội không thay đổi" in ha_noi and "Năm 2024, Hà Nội (cũ) đạt" in ha_noi


@pytest.mark.parametrize("slug", list(UNITS_2025.slug))
def test_no_text_ever_says_none(table_2025, slug):
    summary = summary_2025(table_2025, f"new:{slug}", region_id="dong-nam-bo")
    for text in (summary_text(summary), summary_paragraph(summary)):
        assert "None" not in text and "nan" not in text.split()


def run_cli(db, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPI_DB": str(db)}
    command = [sys.executable, "-m", "papi_analysis", "summary", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


@pytest.mark.slow
def test_the_command_line_answers_for_the_unit_a_province_is_in(new_units_db):
    result = run_cli(new_units_db, "--province", "Sóc Trăng", "--year", "2025")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Từ 01/07/2025, Sóc Trăng thuộc Cần Thơ.") and lines[1] == "Cần Thơ — PAPI 2025"
    assert "Sóc Trăng năm 2024 đạt 45,19 điểm (xếp hạng 10/61, nhóm Cao nhất)" in result.stdout
    data = json.loads(run_cli(new_units_db, "--province", "soc trang", "--year", "2025", "--json").stdout)
    assert data["province"] == "Cần Thơ" and data["unit_id"] == "new:can-tho" and data["previous_year"] is None
    assert data["lineage_note"].startswith("Từ 01/07/2025, Sóc Trăng thuộc Cần Thơ")
    assert [p["province"] for p in data["predecessors"]] == ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]
    old = json.loads(run_cli(new_units_db, "--province", "Sóc Trăng", "--year", "2024", "--json").stdout)
    assert old["province"] == "Sóc Trăng" and old["predecessors"] == [] and old["lineage_note"] is None


# --- series of trend charts ------------------------------------------------------------------------
def test_a_new_units_history_is_its_predecessors_then_itself(table_2025):
    ref, table = table_2025
    history = unit_history(table, ref, "new:can-tho", 2025)
    years = history.frame.groupby("series").year.agg(["min", "max"])
    assert list(history.frame.series.unique()) == ["Cần Thơ (cũ)", "Hậu Giang", "Sóc Trăng", "Cần Thơ"]
    assert history.predecessors == ("Cần Thơ (cũ)", "Hậu Giang", "Sóc Trăng") and history.change_year == 2025
    assert (years.loc[list(history.predecessors), "max"] == 2024).all() and years.loc["Cần Thơ", "min"] == 2025
    assert years.loc["Sóc Trăng", "min"] == 2018  # the aggregate only on the 8–80 scale of 2025
    assert set(unit_history(table, ref, "old:soc-trang", 2024).frame.series) == {"Sóc Trăng"}
    old_view = comparison_history(table, ref, "old:soc-trang", comparison_group(ref, "old:soc-trang", "old"), "D1")
    assert old_view.change_year == 2025 and 2025 in set(
        old_view.frame[old_view.frame.series == "Trung vị cả nước"].year
    )


def test_the_group_trend_draws_each_member_with_its_lineage(table_2025):
    ref, table = table_2025
    history = group_history(table, ref, "new:can-tho", comparison_group(ref, "new:can-tho", "new"), "D1")
    assert len(set(history.frame.series)) == 6 + 14  # 6 units and their 14 old provinces (Tây Ninh from the Southeast)
    assert {"Long An", "Tây Ninh (cũ)", "Bạc Liêu"} <= set(history.frame.series)


def test_the_groups_best_is_the_old_region_before_and_the_new_one_after(table_2025, scores):
    ref, table = table_2025
    history = comparison_history(table, ref, "new:can-tho", comparison_group(ref, "new:can-tho", "new"), "D4")
    best = history.frame[history.frame.series == "Cao nhất Đồng bằng sông Cửu Long"].set_index("year").value
    old_mekong = scores[(scores.measure == "D4") & scores.unit_id.isin(ref.members(MEKONG, "old"))]
    assert best.loc[2011:2024].to_dict() == old_mekong.groupby("year").value.max().to_dict()
    new_mekong = table[(table.year == 2025) & (table.measure == "D4") & table.unit_id.isin(ref.members(MEKONG, "new"))]
    assert best.loc[2025] == new_mekong.value.max()


def test_missing_years_are_named_per_series_in_its_own_set(table_2025):
    ref, table = table_2025
    assert missing_years_note(table, ref, "new:dong-thap", "TOTAL") == (
        "Không có điểm (PAPI không công bố): Đồng Tháp (cũ) năm 2014, 2018; Tiền Giang năm 2024."
    )
    assert missing_years_note(table, ref, "new:can-tho", "TOTAL") is None
