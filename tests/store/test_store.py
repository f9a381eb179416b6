"""The DuckDB file: built from data/ on first start, idempotent, documented shape, seed = files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from papi_analysis.paths import DATA_DIR, SCORES_DIR
from papi_analysis.problems import InvalidFile
from papi_analysis.store import migrations, seed
from papi_analysis.store.database import Store
from papi_analysis.store.migrations import MIGRATIONS

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


@pytest.mark.slow
def test_starting_again_changes_nothing(fresh_store):
    before = snapshot(fresh_store)
    assert fresh_store.ensure_built() is False
    assert_same(before, snapshot(fresh_store), skip=())


@pytest.mark.slow
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
    for path in seed.score_files(SCORES_DIR):
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
    assert len(seeds) >= len(seed.score_files(SCORES_DIR))
    assert seeds.sha256.str.len().eq(64).all()
    name, content = store.upload_file(int(seeds.upload_id.min()))
    assert content == (SCORES_DIR.parent.parent / name).read_bytes()


@pytest.mark.parametrize("table", TABLES)
def test_schema_tables_exist(store, table):
    store.read(f"SELECT * FROM {table} LIMIT 1")


# migrations and the first build go through Store.transaction() (issue 9, item 5) ---------------
SEEDED_TABLES = [
    "regions",
    "units",
    "unit_lineage",
    "measures",
    "scores",
    "uploads",
    "upload_changes",
    "plans",
    "tasks",
]


def _tables(store: Store) -> set[str]:
    return set(store.read("SELECT table_name FROM information_schema.tables").table_name)


def _applied(store: Store) -> list[str]:
    return store.read("SELECT name FROM schema_migrations ORDER BY name").name.tolist()


@pytest.mark.slow
def test_a_failing_migration_leaves_no_trace(fresh_store, monkeypatch):
    before = snapshot(fresh_store)
    good = ("900_test_good", "CREATE TABLE test_good (x INTEGER);")
    # Creates a table and writes a row before it fails: both must be rolled back with it.
    bad = (
        "901_test_bad",
        "CREATE TABLE half_done (x INTEGER); INSERT INTO half_done VALUES (1); SELECT error('boom');",
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, good, bad])
    with pytest.raises(duckdb.Error, match="boom"):
        fresh_store.ensure_built()
    # Each migration is its own transaction: the good one before it stays applied.
    assert "half_done" not in _tables(fresh_store) and "test_good" in _tables(fresh_store)
    assert _applied(fresh_store) == [*(name for name, _ in MIGRATIONS), "900_test_good"]
    assert_same(before, snapshot(fresh_store))
    # The file still opens for writing, and the fixed migration is then applied.
    fixed = ("901_test_bad", "CREATE TABLE half_done (x INTEGER); INSERT INTO half_done VALUES (1);")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, good, fixed])
    assert fresh_store.ensure_built() is True
    assert fresh_store.read("SELECT x FROM half_done").x.tolist() == [1]
    assert fresh_store.ensure_built() is False


def _corrupt_tasks(data_dir: Path) -> None:
    text = (data_dir / "tasks.csv").read_text(encoding="utf-8")
    (data_dir / "tasks.csv").write_text(text.replace(",D1,D1.1,", ",D99,D1.1,", 1), encoding="utf-8")


def _corrupt_latest_scores(data_dir: Path) -> None:
    latest = max((data_dir / "scores").glob("papi_20??.csv"))
    lines = latest.read_text(encoding="utf-8").splitlines()
    lines[1] = ",".join(["không phải số" if i > 1 else cell for i, cell in enumerate(lines[1].split(","))])
    latest.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("corrupt", [_corrupt_tasks, _corrupt_latest_scores])
def test_a_failing_seed_leaves_nothing_and_the_next_start_seeds(store, tmp_path, corrupt):
    bad_data = tmp_path / "data"
    shutil.copytree(DATA_DIR, bad_data, ignore=shutil.ignore_patterns("*.duckdb*"))
    corrupt(bad_data)
    new = Store(tmp_path / "papi.duckdb")
    # Both corruptions fail after reference tables and (for tasks) every score file were written.
    with pytest.raises(InvalidFile):
        new.ensure_built(bad_data)
    assert _applied(new) == [name for name, _ in MIGRATIONS]
    for table in SEEDED_TABLES:
        assert new.read(f"SELECT count(*) AS n FROM {table}").n.iloc[0] == 0, table
    assert new.read("SELECT * FROM meta").empty
    assert new.ensure_built() is True
    assert_same(snapshot(store), snapshot(new))


@pytest.mark.slow
def test_every_insert_names_its_columns(store, tmp_path, monkeypatch):
    """A later migration adding a column must not shift values: build, upload and stamp still work."""
    extra = "".join(
        f"ALTER TABLE {t} ADD COLUMN note VARCHAR;" for t in ("uploads", "plans", "meta", "schema_migrations")
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, ("900_test_notes", extra)])
    noted = Store(tmp_path / "papi.duckdb")
    assert noted.ensure_built() is True
    assert noted.read("SELECT count(*) AS n FROM plans WHERE note IS NOT NULL").n.iloc[0] == 0
    without_note = {name: frame.drop(columns="note", errors="ignore") for name, frame in snapshot(noted).items()}
    assert_same(snapshot(store), without_note)
    assert noted.read("SELECT key, note FROM meta").to_dict("records") == [{"key": "seeded_at", "note": None}]


def test_seed_sub_dimensions_add_up_to_their_dimension(store, ref):
    """The upload check (score_checks) looks within one file; the seed keeps sub-dimensions in files of
    their own (2011–2016), so their sums are checked here on the built store: all 2,256 add up (2e-6)."""
    wide = store.scores(years=list(range(2011, 2017))).pivot_table(
        index=["year", "unit_id"], columns="measure", values="value"
    )
    checked = 0
    for (year, unit), row in wide.iterrows():
        for dimension in ("D1", "D2", "D3", "D4", "D5", "D6"):
            parts = ref.subdimensions_in_year(dimension, year)
            if pd.isna(row[dimension]):
                continue
            assert not any(pd.isna(row[p]) for p in parts), (year, unit, dimension)
            assert abs(sum(row[p] for p in parts) - row[dimension]) <= 1e-5, (year, unit, dimension)
            checked += 1
    assert checked == 2256


def test_each_years_own_sub_dimension_names_are_stored_with_the_seed(ref):
    """Issue 19, item 8: the names each year's file gave its sub-dimensions (the verified
    ../shared/data/papi/subdimensions_2011_2016.csv), kept per year from the first build."""
    assert ref.measure_name("D3.4", 2011) == ref.measure_name("D3.4", 2015) == "Ban thanh tra nhân dân"
    assert ref.measure_name("D3.4", 2016) == "Hiệu quả của Ban Thanh tra Nhân dân"
    assert ref.measure_name("D3.6", 2016) == "Đáp ứng kiến nghị của người dân"
    assert ref.measure_name_en("D3.5", 2013) == "Community Investment Boards"
    assert ref.measure_name("D3.4") == "Ban Thanh tra nhân dân"  # the catalogue's own name, without a year


def test_the_seed_names_are_those_of_the_verified_file(store):
    verified = pd.read_csv(SCORES_DIR / seed.NAMES_FILE)
    stored = store.labels()
    stored = stored[stored.kind == "measure"].sort_values(["year", "code"], ignore_index=True)
    assert len(stored) == len(verified) == 132  # 22 sub-dimensions × 6 years
    assert (
        stored[["name_vi", "name_en"]].values.tolist()
        == verified.sort_values(["year", "code"])[["name_vi", "name_en"]].values.tolist()
    )
