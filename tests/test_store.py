"""The DuckDB file: built from data/ on first start, idempotent, documented shape, seed = files."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from papi_analysis.migrations import MIGRATIONS
from papi_analysis.paths import SCORES_DIR
from papi_analysis.store import Store

TABLES = [
    "regions",
    "units",
    "unit_lineage",
    "measures",
    "scores",
    "upload_changes",
    "plans",
    "tasks",
    "task_measures",
    "schema_migrations",
]


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    frames = {t: store.read(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES if t != "upload_changes"}
    frames["upload_changes"] = store.read("SELECT * FROM upload_changes ORDER BY upload_id, year, unit_id, measure")
    frames["uploads"] = store.read(
        "SELECT upload_id, kind, file_name, sha256, size_bytes, years, rows_in_file, cells_added "
        "FROM uploads ORDER BY ALL"
    )
    return frames


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame], skip=("schema_migrations",)) -> None:
    for name in a:
        if name not in skip:
            pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_starting_again_changes_nothing(fresh_store):
    before = snapshot(fresh_store)
    assert fresh_store.ensure_built() is False
    assert_same(before, snapshot(fresh_store), skip=())


def test_building_twice_gives_the_same_database(store, tmp_path):
    other = Store(tmp_path / "again.duckdb")
    assert other.ensure_built() is True
    assert_same(snapshot(store), snapshot(other))


def test_migrations_are_recorded_by_name(store):
    applied = store.read("SELECT name FROM schema_migrations ORDER BY name").name.tolist()
    assert applied == [name for name, _ in MIGRATIONS]


def test_units_both_sets_and_lineage(store, ref):
    units = ref.units
    assert (units.unit_set == "old").sum() == 63 and (units.unit_set == "new").sum() == 34
    assert units.loc[units.unit_set == "old", "valid_to"].astype(str).unique().tolist() == ["2025-06-30"]
    assert units.loc[units.unit_set == "new", "valid_from"].astype(str).unique().tolist() == ["2025-07-01"]
    assert sorted(ref.unit_name(u) for u in ref.predecessors("new:can-tho")) == ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]
    assert ref.successor("old:soc-trang") == "new:can-tho"
    assert len(ref.lineage) == 63
    mekong_2025 = sorted(ref.unit_name(u) for u in ref.members("dong-bang-song-cuu-long", "new"))
    assert mekong_2025 == ["An Giang", "Cà Mau", "Cần Thơ", "Tây Ninh", "Vĩnh Long", "Đồng Tháp"]
    assert len(ref.members("dong-bang-song-cuu-long", "old")) == 13


def _seed_cells() -> dict[tuple[int, str, str], float]:
    cells = {}
    for path in sorted(SCORES_DIR.glob("*.csv")):
        for record in csv.DictReader(path.open(encoding="utf-8")):
            if "measure" in record:
                cells[(int(record["year"]), record["province"], record["measure"])] = float(record["value"])
            else:
                for key, value in record.items():
                    if key not in ("year", "province") and value:
                        cells[(int(record["year"]), record["province"], key)] = float(value)
    return cells


def test_stored_scores_are_exactly_the_seed_files(scores, ref):
    stored = {(r.year, ref.unit_name(r.unit_id), r.measure): r.value for r in scores.itertuples()}
    assert stored == _seed_cells()
    assert set(scores.year) == set(range(2011, 2025))


def test_no_score_is_invented_for_missing_provinces(scores):
    totals_2022 = scores[(scores.year == 2022) & (scores.measure == "TOTAL")]
    assert len(totals_2022) == 61
    bac_ninh_2022 = scores[(scores.year == 2022) & (scores.unit_id == "old:bac-ninh")]
    assert sorted(bac_ninh_2022.measure) == ["D1", "D5", "D6", "D7"]  # as published: 4 of 8, no total
    assert not scores[(scores.year == 2014) & scores.unit_id.isin(["old:bac-giang", "old:dong-thap"])].shape[0]
    assert not scores[(scores.year < 2018) & scores.measure.isin(["D7", "D8"])].shape[0]


def test_every_seed_file_is_an_audited_upload(store):
    uploads = store.uploads()
    seeds = uploads[uploads.kind == "seed"]
    assert len(seeds) >= len(list(SCORES_DIR.glob("*.csv")))
    assert seeds.sha256.str.len().eq(64).all()
    name, content = store.upload_file(int(seeds.upload_id.min()))
    assert content == (SCORES_DIR.parent.parent / name).read_bytes()


@pytest.mark.parametrize("table", TABLES)
def test_schema_tables_exist(store, table):
    store.read(f"SELECT * FROM {table} LIMIT 1")
