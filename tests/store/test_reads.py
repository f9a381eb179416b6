"""store.reads: the reads a write decides on, on a connection the caller holds — the stored reference, scores and
cells, the remembered mappings, the diff an upload would make (refused across unit sets), the status history.

Read on the seed database (the verified scores 2011–2024, the 2023 plan); writes only on a fresh copy."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from helpers import csv_bytes, synthetic_year

from papi_analysis.paths import SCORES_DIR
from papi_analysis.plan.task_status import status_change
from papi_analysis.reading.ingest import parse_scores
from papi_analysis.store.reads import (
    remembered_mappings,
    score_diff,
    status_history,
    stored_cells,
    stored_reference,
    stored_scores,
)
from papi_analysis.store.upload_diff import INDICATORS, LABELS, SCORES
from papi_analysis.store.writes import StoreError

PLAN = "120/KH-UBND-2023"
SOC_TRANG = "old:soc-trang"
SEED_2022 = (SCORES_DIR / "papi_2022.csv").read_bytes()


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


@pytest.fixture
def con(built_db):
    with connect(built_db) as connection:
        yield connection


def edited_2022(points: float) -> bytes:
    """The seed file with Sóc Trăng's D1 and TOTAL moved by the same points (the sum still holds)."""
    frame = pd.read_csv(SCORES_DIR / "papi_2022.csv")
    row = frame.province == "Sóc Trăng"
    frame.loc[row, ["D1", "TOTAL"]] += points
    return csv_bytes(frame)


# --- the reference ------------------------------------------------------------------------------------
def test_the_reference_holds_both_unit_sets_their_lineage_and_the_measures(con):
    ref = stored_reference(con)
    assert ref.units.unit_set.tolist() == ["old"] * 63 + ["new"] * 34  # the 63 provinces first
    old = ref.units[ref.units.unit_set == "old"]
    assert old.gso_code.is_monotonic_increasing and old.name_vi.iloc[0] == "Hà Nội"
    soc_trang = ref.units.set_index("unit_id").loc[SOC_TRANG]
    assert (soc_trang.name_vi, soc_trang.region_name) == ("Sóc Trăng", "Đồng bằng sông Cửu Long")
    assert ref.units.set_index("unit_id").loc["old:ha-noi"].aliases == ["Thủ đô Hà Nội"]  # a list, not an array
    assert all(isinstance(a, list) for a in ref.units.aliases)
    assert ref.successor(SOC_TRANG) == "new:can-tho" and len(ref.lineage) == 63
    assert ref.measures.code.tolist()[:11] == ["TOTAL", *(f"D{n}" for n in range(1, 9)), "TOTAL_W", "D1.1"]
    assert str(ref.measures.first_year.dtype) == "Int64"
    assert ref.measures.set_index("code").loc["D7"].first_year == 2018
    assert ref.regions.name_vi.tolist()[-1] == "Đồng bằng sông Cửu Long" and len(ref.regions) == 6
    published = (
        ref.published
    )  # the names each year's file gives its sub-dimensions (data/scores/papi_subdimension_names.csv)
    assert len(published) == 132 and sorted(published.year.unique()) == list(range(2011, 2017))
    assert published.set_index(["year", "code"]).loc[(2016, "D6.4"), "name_en"] == "Law and Order"


# --- scores and cells -----------------------------------------------------------------------------------
def test_scores_of_every_year_or_of_some_years_and_measures(con):
    everything = stored_scores(con)
    assert len(everything) == 15235 and sorted(everything.year.unique()) == list(range(2011, 2025))
    totals = stored_scores(con, years=[2021, 2022], measures=["TOTAL"])
    assert totals.groupby("year").size().to_dict() == {2021: 60, 2022: 61}  # the provinces PAPI ranked
    assert list(totals.columns) == [*SCORES.key, *SCORES.values, "upload_id"]
    soc_trang = totals[(totals.year == 2022) & (totals.unit_id == SOC_TRANG)].iloc[0]
    assert soc_trang.value == pytest.approx(42.85590744)
    uploaded = con.execute("SELECT file_name FROM uploads WHERE upload_id = ?", [int(soc_trang.upload_id)]).fetchone()
    assert uploaded == ("data/scores/papi_2022.csv",)
    assert stored_scores(con, years=[2030]).empty and stored_scores(con, measures=[]).empty


def test_scores_come_ordered_by_year_measure_and_unit(con):
    rows = stored_scores(con, years=[2022, 2016])
    ordered = rows.sort_values(["year", "measure", "unit_id"], ignore_index=True)
    pd.testing.assert_frame_equal(rows, ordered)
    assert rows.year.iloc[0] == 2016 and rows.measure.iloc[0] == "D1"


def test_cells_of_a_table_in_its_key_order(con):
    cells = stored_cells(con, SCORES, years=[2022])
    assert list(cells.columns) == [*SCORES.key, *SCORES.values, "upload_id"] and len(cells) == 557
    pd.testing.assert_frame_equal(cells, cells.sort_values(list(SCORES.key), ignore_index=True))
    assert len(stored_cells(con, SCORES)) == 15235
    empty = stored_cells(con, INDICATORS)  # the seed has no indicators: empty, with the table's columns
    assert empty.empty and list(empty.columns) == [*INDICATORS.key, *INDICATORS.values, "upload_id"]
    names = stored_cells(con, LABELS)  # the sub-dimensions' published names, 22 a year 2011-2016
    assert len(names) == 132 and list(names.columns) == [*LABELS.key, *LABELS.values, "upload_id"]


# --- the diff an upload would make ----------------------------------------------------------------------
def test_the_seed_file_again_would_change_nothing(con, ref):
    parsed = parse_scores(SEED_2022, "papi_2022.csv", ref)
    diff = score_diff(con, parsed, replace=True)
    assert not diff.has_changes and diff.unchanged == 557 and diff.existing_years == [2022]
    assert diff.indicators is not None and diff.labels is not None and diff.replace is True


def test_a_moved_score_is_a_change_that_needs_replacing(con, ref):
    parsed = parse_scores(edited_2022(0.01), "papi_2022_sua.csv", ref)
    diff = score_diff(con, parsed, replace=False)
    changed = diff.changed.set_index("measure")
    assert changed.unit_id.tolist() == [SOC_TRANG, SOC_TRANG] and sorted(changed.index) == ["D1", "TOTAL"]
    assert changed.loc["TOTAL", "old_value"] == pytest.approx(42.85590744)
    assert changed.loc["TOTAL", "new_value"] == pytest.approx(42.86590744)
    assert diff.needs_replace and diff.counts() == {"added": 0, "changed": 2, "removed": 0, "unchanged": 555}


def test_a_new_year_adds_every_cell_and_touches_no_stored_year(con, ref):
    names = ref.units_of_set("old").name_vi.tolist()
    parsed = parse_scores(csv_bytes(synthetic_year(names, 2026)), "papi_2026_synthetic.csv", ref, unit_set="old")
    diff = score_diff(con, parsed, replace=True)
    assert diff.existing_years == [] and not diff.needs_replace
    assert diff.counts() == {"added": 63 * 9, "changed": 0, "removed": 0, "unchanged": 0}


def test_a_year_stored_in_the_63_provinces_refuses_a_file_of_the_34_units(con, ref):
    names = ref.units_of_set("new").name_vi.tolist()
    parsed = parse_scores(csv_bytes(synthetic_year(names, 2022)), "papi_2022_34.csv", ref, unit_set="new")
    with pytest.raises(StoreError) as refused:
        score_diff(con, parsed, replace=True)
    assert str(refused.value) == (
        "Năm 2022 đang lưu theo 63 tỉnh, thành phố (trước 01/07/2025); tệp dùng 34 tỉnh, thành phố "
        "(từ 01/07/2025). Một năm chỉ dùng một danh mục đơn vị: hãy hoàn tác lượt tải lên cũ của năm đó trước. "
        "Chưa có gì được ghi."
    )


# --- what a write remembers -----------------------------------------------------------------------------
def test_the_seed_remembers_no_mapping(con):
    remembered = remembered_mappings(con)
    assert remembered.by_shape == {} and remembered.by_label == {}


@pytest.mark.slow
def test_a_mapping_is_remembered_while_its_upload_stands(fresh_store, ref):
    parsed = parse_scores(edited_2022(0.01), "papi_2022_sua.csv", ref)
    result = fresh_store.commit_scores(parsed, replace=True, user="lan")
    with connect(fresh_store.path) as con:
        remembered = remembered_mappings(con)
    assert list(remembered.by_shape) == [parsed.mapping.shape]
    assert len(remembered.by_shape[parsed.mapping.shape]) == len(parsed.mapping.lines)
    fresh_store.rollback(result.upload_id, user="lan")
    with connect(fresh_store.path) as con:
        assert remembered_mappings(con).by_shape == {}


@pytest.mark.slow
def test_the_status_history_is_every_change_oldest_first_undone_ones_too(fresh_store):
    with connect(fresh_store.path) as con:
        assert status_history(con).empty
    first = fresh_store.record_status(status_change(PLAN, "T065", "2023-Q3", "Đang triển khai"), user="lan")
    second = fresh_store.record_status(status_change(PLAN, "T065", "2023-Q3", "Hoàn thành"), user="lan")
    fresh_store.undo_status(second, user="lan")
    with connect(fresh_store.path) as con:
        history = status_history(con)
        assert status_history(con, PLAN).change_id.tolist() == [first, second]
        assert status_history(con, "99/KH-UBND-2030").empty
    assert history.change_id.tolist() == [first, second]
    assert history.status.tolist() == ["Đang triển khai", "Hoàn thành"]
    assert history.undone_at.isna().tolist() == [True, False] and history.undone_by.tolist()[1] == "lan"
